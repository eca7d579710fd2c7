using AlertRelay.Core.Configuration;
using AlertRelay.Core.Notify.Slack;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlertRelay.Core.Notify;

/// <summary>The outbox's Slack integration: finds the receiver's slack_config and sends through a fresh typed client.</summary>
public sealed class SlackIntegration(IHttpClientFactory httpClients, IOptions<NotifyOptions> options, ILogger<SlackNotifier> logger) : INotifier
{
    /// <summary>The name of the HttpClient the host configures for Slack (handler lifetime); its timeout is <see cref="NotifyOptions.SlackTimeoutSeconds"/>.</summary>
    public const string HttpClientName = "slack";

    private readonly TimeSpan _timeout = TimeSpan.FromSeconds(options.Value.SlackTimeoutSeconds);

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
        var notifier = new SlackNotifier(new SlackClient(http), logger);
        return notifier.SendAsync(slack, message, cancellationToken);
    }
}
