using AlertRelay.Core.Configuration;
using AlertRelay.Core.Oncall;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlertRelay.Core.Notify.Slack;

/// <summary>The outbox's Slack notifier: finds the target's <c>slack_configs</c> entry and sends through a <see cref="SlackSender"/> with a fresh typed client.</summary>
/// <remarks>
/// With a <see cref="SlackSigningSecret"/> configured, firing messages sent through the Web API carry the on-call buttons; with
/// <see cref="IAlertLinks"/> enabled, an "Open in AlertRelay" link. Without them (as in tests that build it by hand), neither.
/// </remarks>
public sealed class SlackNotifier(
    IHttpClientFactory httpClients,
    IOptions<NotifyOptions> options,
    ILogger<SlackNotifier> logger,
    SlackSigningSecret? signingSecret = null,
    IAlertLinks? links = null,
    TimeProvider? time = null) : INotifier
{
    /// <summary>The name of the HttpClient the host configures for Slack (handler lifetime); its timeout is <see cref="NotifyOptions.SlackTimeoutSeconds"/>.</summary>
    public const string HttpClientName = "slack";

    private readonly TimeSpan _timeout = TimeSpan.FromSeconds(options.Value.SlackTimeoutSeconds);

    private readonly SlackOncallSettings? _oncall = time is null
        ? null
        : new SlackOncallSettings(signingSecret?.IsConfigured == true, links ?? NoAlertLinks.Instance, time);

    public string Integration => Integrations.Slack;

    public Task<NotifyResult> SendAsync(RelayConfig config, NotificationTarget target, NotificationMessage message, CancellationToken cancellationToken)
    {
        var slack = config.FindReceiver(target.Receiver)?.SlackConfigs.ElementAtOrDefault(target.Index);
        if (slack is null)
        {
            return Task.FromResult(NotifyResult.Permanent($"receiver \"{target.Receiver}\" has no slack_configs[{target.Index}] any more"));
        }

        // A client per send: IHttpClientFactory rotates handlers, so DNS changes are seen.
        var http = httpClients.CreateClient(HttpClientName);
        http.Timeout = _timeout; // AlertRelay:Notify:SlackTimeoutSeconds, whatever the host set on the named client
        // The channel message of a page mentions the person on call: their Slack id is in the configuration, not the outbox.
        var paged = message.Paged is { } page ? message with { PagedSlackUserId = config.FindParticipant(page.Participant)?.SlackUserId } : message;
        return new SlackSender(new SlackClient(http), logger, _oncall).SendAsync(slack, paged, cancellationToken);
    }
}
