using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AlertRelay.Core.Notify.Slack;

/// <summary>Calls Slack's Web API (chat.postMessage, chat.update, thread replies) and incoming webhooks, one attempt per call, each answer classified.</summary>
/// <remarks>
/// A typed client (<c>services.AddHttpClient&lt;SlackClient&gt;()</c>): set the timeout there, and add no resilience handler,
/// since the outbox is the one retry layer. Transport failures (connection refused, DNS, resets) and timeouts become
/// <see cref="NotifyResult.Retry"/>; the caller's own cancellation is thrown.
/// </remarks>
public sealed class SlackClient(HttpClient http)
{
    public const string PostMessageMethod = "chat.postMessage";
    public const string UpdateMethod = "chat.update";
    public const string WebhookMethod = "webhook";

    private const int MaxDetailLength = 200;

    /// <summary>chat.postMessage to <see cref="SlackMessage.Channel"/>; a reply when <see cref="SlackMessage.ThreadTs"/> is set. Delivered carries the channel id and ts Slack answered with.</summary>
    public Task<SlackResponse> PostMessageAsync(string baseUrl, string token, SlackMessage message, CancellationToken cancellationToken)
    {
        var payload = message.ToJson();
        // Alert links (generatorURL, runbooks) are not worth an unfurl preview under every alert.
        payload["unfurl_links"] = false;
        payload["unfurl_media"] = false;
        return CallApiAsync(baseUrl, PostMessageMethod, token, payload, cancellationToken);
    }

    /// <summary>chat.update: replaces the text, blocks and attachments of the message <paramref name="ts"/> in the channel id <paramref name="channel"/>.</summary>
    public Task<SlackResponse> UpdateMessageAsync(
        string baseUrl, string token, string channel, string ts, SlackMessage message, CancellationToken cancellationToken)
    {
        var payload = (message with { Channel = channel, ThreadTs = null }).ToJson();
        payload["ts"] = ts;
        // Without an attachments member chat.update keeps the old ones (and their colour).
        payload["attachments"] ??= new JsonArray();
        return CallApiAsync(baseUrl, UpdateMethod, token, payload, cancellationToken);
    }

    /// <summary>Posts to an incoming webhook, which answers the plain text "ok" (or an error code with a 4xx/5xx status). Delivered carries no reference: a webhook message cannot be updated.</summary>
    public async Task<SlackResponse> PostWebhookAsync(string webhookUrl, SlackMessage message, CancellationToken cancellationToken)
    {
        // The URL is a secret (it carries the hook's token): never put it in a reason.
        if (!TryHttpUri(webhookUrl, out var uri))
        {
            return new SlackResponse(NotifyResult.Permanent("slack webhook: api_url is not an absolute http(s) URL"));
        }

        var payload = message.ToJson();
        payload["unfurl_links"] = false;
        payload["unfurl_media"] = false;
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = JsonContent(payload) };
        var answer = await SendAsync(request, WebhookMethod, cancellationToken);
        if (answer.Failure is not null)
        {
            return answer.Failure;
        }

        var body = answer.Body.Trim();
        if (IsSuccess(answer.Status))
        {
            return new SlackResponse(NotifyResult.Delivered());
        }

        var error = LooksLikeErrorCode(body) ? body : null;
        return new SlackResponse(SlackErrors.ClassifyStatus(WebhookMethod, answer.Status, Detail(body), answer.RetryAfter), error);
    }

    private async Task<SlackResponse> CallApiAsync(string baseUrl, string method, string token, JsonObject payload, CancellationToken cancellationToken)
    {
        if (!TryHttpUri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/", out var apiBase))
        {
            return new SlackResponse(NotifyResult.Permanent($"slack {method}: api_base_url \"{baseUrl}\" is not an absolute http(s) URL"));
        }

        if (token.Length == 0 || token.Any(c => c is <= ' ' or > '~'))
        {
            return new SlackResponse(NotifyResult.Permanent($"slack {method}: the bot token is empty or contains whitespace or non-ASCII characters"));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(apiBase, method)) { Content = JsonContent(payload) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var answer = await SendAsync(request, method, cancellationToken);
        if (answer.Failure is not null)
        {
            return answer.Failure;
        }

        var json = ParseObject(answer.Body);
        var ok = json?["ok"] is JsonValue okValue && okValue.TryGetValue<bool>(out var okFlag) ? okFlag : (bool?)null;
        var error = String(json, "error");
        if (!IsSuccess(answer.Status))
        {
            return new SlackResponse(
                SlackErrors.ClassifyStatus(method, answer.Status, error ?? Detail(answer.Body), answer.RetryAfter), error);
        }

        switch (ok)
        {
            case true:
                return new SlackResponse(NotifyResult.Delivered(new DeliveryRef(SlackChannel: String(json, "channel"), SlackTs: String(json, "ts"))));
            case false:
                error ??= "unknown_error";
                return new SlackResponse(SlackErrors.Classify(method, error, answer.RetryAfter), error);
            default:
                // A 2xx that is not Slack's JSON: a wrong api_base_url or a proxy page. Retrying will not fix it.
                return new SlackResponse(NotifyResult.Permanent(
                    $"slack {method}: HTTP {(int)answer.Status} without Slack's {{\"ok\": ...}} JSON: {Detail(answer.Body)}"));
        }
    }

    private async Task<Answer> SendAsync(HttpRequestMessage request, string method, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            return new Answer(response.StatusCode, body, RetryAfterHeader.Of(response), null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient.Timeout (or a handler's timeout), not the caller giving up.
            return Failed(NotifyResult.RetryLater($"slack {method}: timed out"));
        }
        catch (HttpRequestException ex)
        {
            return Failed(NotifyResult.RetryLater($"slack {method}: {ex.Message}"));
        }
        catch (IOException ex)
        {
            return Failed(NotifyResult.RetryLater($"slack {method}: {ex.Message}"));
        }

        static Answer Failed(NotifyResult result) => new(default, "", null, new SlackResponse(result));
    }

    private static ByteArrayContent JsonContent(JsonObject payload)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    private static JsonObject? ParseObject(string body)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? String(JsonObject? json, string name) =>
        json?[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static bool TryHttpUri(string text, out Uri uri) =>
        Uri.TryCreate(text, UriKind.Absolute, out uri!) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private static bool IsSuccess(HttpStatusCode status) => (int)status is >= 200 and <= 299;

    private static bool LooksLikeErrorCode(string body) =>
        body.Length is > 0 and <= 100 && body.All(c => c is (>= 'a' and <= 'z') or '_' or (>= '0' and <= '9'));

    private static string Detail(string body)
    {
        return SlackText.Truncate(SlackText.OneLine(body.Trim()), MaxDetailLength);
    }

    private readonly record struct Answer(HttpStatusCode Status, string Body, TimeSpan? RetryAfter, SlackResponse? Failure);
}
