using AlertRelay.Core.Configuration;
using AlertRelay.Core.Oncall;
using Microsoft.Extensions.Options;

namespace AlertRelay.Core.Notify.Email;

/// <summary>The outbox's email notifier: finds the target's <c>email_configs</c> entry and sends through an <see cref="EmailSender"/> with the global <c>smtp_*</c> defaults.</summary>
/// <remarks>A firing mail of one alert carries signed Acknowledge / Silence 1h links when <see cref="IAlertLinks"/> makes them.</remarks>
public sealed class EmailNotifier(TimeProvider time, IOptions<NotifyOptions> options, IAlertLinks links) : INotifier
{
    private readonly EmailSender _sender = new(time, TimeSpan.FromSeconds(options.Value.SmtpTimeoutSeconds)); // AlertRelay:Notify:SmtpTimeoutSeconds

    public string Integration => Integrations.Email;

    public Task<NotifyResult> SendAsync(RelayConfig config, NotificationTarget target, NotificationMessage message, CancellationToken cancellationToken)
    {
        var email = config.FindReceiver(target.Receiver)?.EmailConfigs.ElementAtOrDefault(target.Index);
        return email is null
            ? Task.FromResult(NotifyResult.Permanent($"receiver \"{target.Receiver}\" has no email_configs[{target.Index}] any more"))
            : _sender.SendAsync(email, config.Global, message, EmailLinks.For(message, links, time.GetUtcNow()), cancellationToken);
    }
}
