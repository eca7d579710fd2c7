using AlertRelay.Core.Configuration;

namespace AlertRelay.Core.Notify;

/// <summary>Delivers notifications through one kind of integration (Slack, email), reading the target's entry from the configuration.</summary>
public interface INotifier
{
    /// <summary>The name of the integration it serves (<see cref="Integrations.Slack"/>, <see cref="Integrations.Email"/>).</summary>
    string Integration { get; }

    Task<NotifyResult> SendAsync(RelayConfig config, NotificationTarget target, NotificationMessage message, CancellationToken cancellationToken);
}
