using AlertRelay.Core.Configuration;

namespace AlertRelay.Core.Notify;

/// <summary>Delivers a notification through one kind of integration (Slack, email), reading its settings from the configuration.</summary>
public interface INotifier
{
    /// <summary>The integration it serves (<see cref="Integrations"/>).</summary>
    string Integration { get; }

    Task<NotifyResult> SendAsync(RelayConfig config, NotificationTarget target, NotificationMessage message, CancellationToken cancellationToken);
}
