using AlertRelay.Core.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlertRelay.Core.Notify.Slack;

/// <summary>The outbox's Slack notifier: finds the target's <c>slack_configs</c> entry and sends through a <see cref="SlackSender"/> with a fresh typed client.</summary>
public sealed class SlackNotifier(IHttpClientFactory httpClients, IOptions<NotifyOptions> options, ILogger<SlackNotifier> logger) : INotifier
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
        return new SlackSender(new SlackClient(http), logger).SendAsync(slack, message, cancellationToken);
    }
}
