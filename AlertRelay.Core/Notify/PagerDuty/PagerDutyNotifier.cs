using AlertRelay.Core.Configuration;
using AlertRelay.Core.Notify.Webhook;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlertRelay.Core.Notify.PagerDuty;

/// <summary>
/// The outbox's PagerDuty notifier (Events API v2): finds the target's <c>pagerduty_configs</c> entry, turns the notification into
/// events (<see cref="PagerDutyEvents"/>), reads the routing key (its file at each send) and POSTs each event. PagerDuty answers 202
/// to an event it took; 400 (<c>invalid event</c>) is permanent; 429 (with Retry-After) and 5xx are retried. Events of one notification
/// are sent in order and the first failure is the outcome: a retry sends them all again, which PagerDuty deduplicates by key.
/// </summary>
public sealed class PagerDutyNotifier(IHttpClientFactory httpClients, IOptions<NotifyOptions> options, ILogger<PagerDutyNotifier> logger) : INotifier
{
    /// <summary>The HttpClient the host configures for PagerDuty (redirects followed, Alertmanager's default).</summary>
    public const string HttpClientName = "pagerduty";

    /// <summary>The HttpClient for <c>follow_redirects: false</c>.</summary>
    public const string NoRedirectsHttpClientName = "pagerduty-no-redirects";

    private readonly TimeSpan _timeout = TimeSpan.FromSeconds(options.Value.PagerDutyTimeoutSeconds);

    public string Integration => Integrations.PagerDuty;

    public async Task<NotifyResult> SendAsync(RelayConfig config, NotificationTarget target, NotificationMessage message, CancellationToken cancellationToken)
    {
        var pagerDuty = config.FindReceiver(target.Receiver)?.PagerDutyConfigs.ElementAtOrDefault(target.Index);
        if (pagerDuty is null)
        {
            return NotifyResult.Permanent($"receiver \"{target.Receiver}\" has no pagerduty_configs[{target.Index}] any more");
        }

        var events = PagerDutyEvents.For(message, pagerDuty);
        if (events.Count == 0)
        {
            logger.LogDebug(
                "PagerDuty {kind} ({detail}) not sent: it means nothing to PagerDuty (receiver {receiver}, index {index}, notification {notificationId})",
                message.Kind, message.EscalationStep, message.Receiver, target.Index, message.NotificationId);
            return NotifyResult.Delivered();
        }

        var (routingKey, keyError) = await SecretText.ReadAsync(pagerDuty.RoutingKey, pagerDuty.RoutingKeyFile, "pagerduty: routing_key", cancellationToken);
        var (url, urlError) = await SecretText.UrlAsync(pagerDuty.Url, null, "pagerduty: url", cancellationToken);
        var (authorization, authError) = await WebhookSecrets.AuthorizationAsync(pagerDuty.HttpConfig, cancellationToken);
        if ((keyError ?? urlError ?? authError) is { } error)
        {
            return NotifyResult.Permanent(error);
        }

        var http = httpClients.CreateClient(pagerDuty.HttpConfig.FollowRedirects ? HttpClientName : NoRedirectsHttpClientName);
        http.Timeout = pagerDuty.Timeout ?? _timeout; // timeout, else AlertRelay:Notify:PagerDutyTimeoutSeconds
        var client = new WebhookClient(http, Integrations.PagerDuty);
        foreach (var pagerDutyEvent in events)
        {
            var result = await client.PostAsync(url!, authorization, pagerDutyEvent.ToJsonUtf8(routingKey!), cancellationToken);
            logger.LogDebug(
                "PagerDuty {action} {outcome} (receiver {receiver}, index {index}, dedup key {dedupKey}, notification {notificationId})",
                pagerDutyEvent.Action, result, message.Receiver, target.Index, pagerDutyEvent.DedupKey, message.NotificationId);
            if (result is not NotifyResult.Sent)
            {
                return result;
            }
        }

        // The alert it triggered, for the resolve and acknowledgement that follow (and so that a digest is an announcement).
        return NotifyResult.Delivered(new DeliveryRef(PagerDutyDedupKey: events[0].DedupKey));
    }
}
