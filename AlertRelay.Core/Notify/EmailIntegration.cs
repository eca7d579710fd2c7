using AlertRelay.Core.Configuration;
using AlertRelay.Core.Notify.Email;

namespace AlertRelay.Core.Notify;

/// <summary>The outbox's email integration: finds the receiver's email_config and sends with the global smtp_* defaults.</summary>
public sealed class EmailIntegration(EmailNotifier notifier) : INotifier
{
    public string Integration => Integrations.Email;

    public Task<NotifyResult> SendAsync(RelayConfig config, NotificationTarget target, NotificationMessage message, CancellationToken cancellationToken)
    {
        var email = config.FindReceiver(target.Receiver)?.EmailConfigs.ElementAtOrDefault(target.Index);
        return email is null
            ? Task.FromResult(NotifyResult.Permanent($"receiver \"{target.Receiver}\" has no email_configs[{target.Index}] any more"))
            : notifier.SendAsync(email, config.Global, message, cancellationToken);
    }
}
