using AlertRelay.Core.Configuration;
using Microsoft.Extensions.Options;

namespace AlertRelay.Core.Notify.Email;

/// <summary>The outbox's email notifier: finds the target's <c>email_configs</c> entry and sends through an <see cref="EmailSender"/> with the global <c>smtp_*</c> defaults.</summary>
public sealed class EmailNotifier(TimeProvider time, IOptions<NotifyOptions> options) : INotifier
{
    private readonly EmailSender _sender = new(time, TimeSpan.FromSeconds(options.Value.SmtpTimeoutSeconds)); // AlertRelay:Notify:SmtpTimeoutSeconds

    public string Integration => Integrations.Email;

    public Task<NotifyResult> SendAsync(RelayConfig config, NotificationTarget target, NotificationMessage message, CancellationToken cancellationToken)
    {
        var email = config.FindReceiver(target.Receiver)?.EmailConfigs.ElementAtOrDefault(target.Index);
        return email is null
            ? Task.FromResult(NotifyResult.Permanent($"receiver \"{target.Receiver}\" has no email_configs[{target.Index}] any more"))
            : _sender.SendAsync(email, config.Global, message, cancellationToken);
    }
}
