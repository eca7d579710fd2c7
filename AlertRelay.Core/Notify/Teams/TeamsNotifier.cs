using AlertRelay.Core.Configuration;
using AlertRelay.Core.Notify.Webhook;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlertRelay.Core.Notify.Teams;

/// <summary>
/// The outbox's Teams notifier (<c>msteamsv2_configs</c>, a Workflows webhook): finds the target's entry, renders the Adaptive Card
/// (<see cref="TeamsCard"/>), reads the webhook URL (its file at each send) and POSTs it. Workflows answers 202; any 2xx is delivered,
/// 429 (with Retry-After) and 5xx are retried, any other 4xx is permanent. Errors never contain the URL: it carries its signature.
/// </summary>
public sealed class TeamsNotifier(IHttpClientFactory httpClients, IOptions<NotifyOptions> options, ILogger<TeamsNotifier> logger) : INotifier
{
    /// <summary>The HttpClient the host configures for Teams (redirects followed, Alertmanager's default).</summary>
    public const string HttpClientName = "msteamsv2";

    /// <summary>The HttpClient for <c>follow_redirects: false</c>.</summary>
    public const string NoRedirectsHttpClientName = "msteamsv2-no-redirects";

    private readonly TimeSpan _timeout = TimeSpan.FromSeconds(options.Value.MsTeamsV2TimeoutSeconds);

    public string Integration => Integrations.MsTeamsV2;

    public async Task<NotifyResult> SendAsync(RelayConfig config, NotificationTarget target, NotificationMessage message, CancellationToken cancellationToken)
    {
        var teams = config.FindReceiver(target.Receiver)?.MsTeamsV2Configs.ElementAtOrDefault(target.Index);
        if (teams is null)
        {
            return NotifyResult.Permanent($"receiver \"{target.Receiver}\" has no msteamsv2_configs[{target.Index}] any more");
        }

        if (TeamsCard.For(message, teams) is not { } card)
        {
            logger.LogDebug(
                "Teams {kind} not sent: nothing to send to it (receiver {receiver}, index {index}, notification {notificationId})",
                message.Kind, message.Receiver, target.Index, message.NotificationId);
            return NotifyResult.Delivered();
        }

        var (url, urlError) = await SecretText.UrlAsync(teams.WebhookUrl, teams.WebhookUrlFile, "msteamsv2: webhook_url", cancellationToken);
        var (authorization, authError) = await WebhookSecrets.AuthorizationAsync(teams.HttpConfig, cancellationToken);
        if ((urlError ?? authError) is { } error)
        {
            return NotifyResult.Permanent(error);
        }

        var http = httpClients.CreateClient(teams.HttpConfig.FollowRedirects ? HttpClientName : NoRedirectsHttpClientName);
        http.Timeout = _timeout; // AlertRelay:Notify:MsTeamsV2TimeoutSeconds
        var result = await new WebhookClient(http, Integrations.MsTeamsV2).PostAsync(url!, authorization, card.ToJsonUtf8(), cancellationToken);
        logger.LogDebug(
            "Teams card {outcome} (receiver {receiver}, index {index}, notification {notificationId})",
            result, message.Receiver, target.Index, message.NotificationId);
        return result;
    }
}
