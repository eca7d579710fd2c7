using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace AlertRelay.Core.Notify.Slack;

/// <summary>
/// Answers the person who clicked a button, only to them (an ephemeral message to the interaction's <c>response_url</c>), best
/// effort: a failure is logged, never retried (the action itself is recorded, and the message update shows it to everyone).
/// </summary>
public sealed class SlackResponder(IHttpClientFactory httpClients, ILogger<SlackResponder> logger)
{
    /// <summary>The HttpClient for response_url posts.</summary>
    public const string HttpClientName = "slack-response";

    /// <summary>How long one answer may take: Slack's response_url answers at once, and nobody waits for it.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>Posts <c>{"response_type":"ephemeral","replace_original":false,"text":...}</c>; true when Slack took it.</summary>
    public async Task<bool> RespondAsync(Uri responseUrl, string text, CancellationToken cancellationToken)
    {
        var payload = new JsonObject
        {
            ["response_type"] = "ephemeral",
            ["replace_original"] = false,
            ["text"] = text,
        };
        try
        {
            var http = httpClients.CreateClient(HttpClientName);
            http.Timeout = Timeout;
            using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(payload.ToJsonString()));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            using var response = await http.PostAsync(responseUrl, content, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return true;
            }

            logger.LogWarning("Slack response_url answered {status}; the ephemeral answer was not shown", (int)response.StatusCode);
        }
        // ObjectDisposedException: the host is shutting down under an answer still on its way.
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            logger.LogWarning("Slack response_url could not be reached ({error}); the ephemeral answer was not shown", ex.Message);
        }

        return false;
    }
}
