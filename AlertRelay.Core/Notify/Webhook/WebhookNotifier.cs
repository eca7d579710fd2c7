using AlertRelay.Core.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlertRelay.Core.Notify.Webhook;

/// <summary>
/// The outbox's webhook notifier: finds the target's <c>webhook_configs</c> entry, renders Alertmanager's version 4 message
/// (<see cref="WebhookPayload"/>), reads the URL and credentials (files at each send) and POSTs it through a <see cref="WebhookClient"/>.
/// Every kind is a new POST (a webhook cannot edit): a resolve is a message with status resolved, queued only with <c>send_resolved</c>.
/// </summary>
public sealed class WebhookNotifier(IHttpClientFactory httpClients, IOptions<NotifyOptions> options, ILogger<WebhookNotifier> logger) : INotifier
{
    /// <summary>The HttpClient the host configures for webhooks that follow redirects (Alertmanager's default).</summary>
    public const string HttpClientName = "webhook";

    /// <summary>The HttpClient for <c>follow_redirects: false</c>: its primary handler must not follow redirects.</summary>
    public const string NoRedirectsHttpClientName = "webhook-no-redirects";

    private readonly TimeSpan _timeout = TimeSpan.FromSeconds(options.Value.WebhookTimeoutSeconds);

    public string Integration => Integrations.Webhook;

    public async Task<NotifyResult> SendAsync(RelayConfig config, NotificationTarget target, NotificationMessage message, CancellationToken cancellationToken)
    {
        var webhook = config.FindReceiver(target.Receiver)?.WebhookConfigs.ElementAtOrDefault(target.Index);
        if (webhook is null)
        {
            return NotifyResult.Permanent($"receiver \"{target.Receiver}\" has no webhook_configs[{target.Index}] any more");
        }

        if (WebhookPayload.For(message, webhook) is not { } payload)
        {
            logger.LogDebug(
                "Webhook {kind} not sent: nothing to send to it (receiver {receiver}, index {index}, notification {notificationId})",
                message.Kind, message.Receiver, target.Index, message.NotificationId);
            return NotifyResult.Delivered();
        }

        var (url, urlError) = await WebhookSecrets.UrlAsync(webhook, cancellationToken);
        var (authorization, authError) = await WebhookSecrets.AuthorizationAsync(webhook.HttpConfig, cancellationToken);
        if ((urlError ?? authError) is { } error)
        {
            return NotifyResult.Permanent(error);
        }

        // A client per send: IHttpClientFactory rotates handlers, so DNS changes are seen.
        var http = httpClients.CreateClient(webhook.HttpConfig.FollowRedirects ? HttpClientName : NoRedirectsHttpClientName);
        http.Timeout = _timeout; // AlertRelay:Notify:WebhookTimeoutSeconds
        var result = await new WebhookClient(http).PostAsync(url!, authorization, payload.ToJsonUtf8(), cancellationToken);
        logger.LogDebug(
            "Webhook POST {outcome} (receiver {receiver}, index {index}, alerts {alerts}, truncated {truncated}, notification {notificationId})",
            result, message.Receiver, target.Index, payload.Alerts.Count, payload.TruncatedAlerts, message.NotificationId);
        return result;
    }
}
