using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AlertRelay.Testing;

/// <summary>
/// A loopback Teams Workflows webhook ("When a Teams webhook request is received"): answers 202 with an empty body to a message
/// carrying an Adaptive Card attachment, 400 to anything else; or what the test asks for next (429 with Retry-After, 5xx, no
/// answer); connections refused while down. The URL carries a signature, as a real one does, so tests can check it is never leaked.
/// </summary>
public sealed class TeamsStub : IAsyncDisposable
{
    /// <summary>The signature in the webhook URL's query (a secret: it must not appear in logs or errors).</summary>
    public const string Signature = "sIgNaTuRe-5ecret";

    private readonly List<TeamsStubRequest> _requests = [];
    private readonly LoopbackServer _server;

    private TeamsStub() => _server = new LoopbackServer(Answer);

    public int Port => _server.Port;

    /// <summary>The URL to configure as <c>webhook_url</c>, shaped like a Workflows URL with its signature.</summary>
    public string Url => $"http://127.0.0.1:{Port}/workflows/4f2c/triggers/manual/paths/invoke?api-version=1&sig={Signature}";

    /// <summary>Every request received so far, in order, whatever it was answered.</summary>
    public IReadOnlyList<TeamsStubRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>The cards posted (answered 2xx).</summary>
    public IReadOnlyList<TeamsStubRequest> Delivered => [.. Requests.Where(r => r.Status is >= 200 and <= 299)];

    public static async Task<TeamsStub> StartAsync()
    {
        var stub = new TeamsStub();
        await stub._server.StartAsync();
        return stub;
    }

    /// <summary>The next <paramref name="count"/> requests are answered <paramref name="status"/>, with Retry-After in seconds when given.</summary>
    public void AnswerNext(HttpStatusCode status, int count = 1, int? retryAfterSeconds = null, string body = "") =>
        _server.Enqueue(new LoopbackAnswer((int)status, body, retryAfterSeconds), count);

    /// <summary>The next request is read and never answered (until the client gives up).</summary>
    public void HangNext() => _server.Enqueue(new LoopbackAnswer(0, Hang: true));

    /// <summary>Stops listening: connections are refused until <see cref="ComeBackAsync"/>. Requests are kept.</summary>
    public Task GoDownAsync() => _server.GoDownAsync();

    /// <summary>Listens again on the same port.</summary>
    public Task ComeBackAsync() => _server.ComeBackAsync();

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private LoopbackAnswer Answer(LoopbackRequest request)
    {
        JsonNode? json = null;
        try
        {
            json = JsonNode.Parse(request.Body);
        }
        catch (JsonException)
        {
        }

        var isCard = json?["type"]?.GetValue<string>() == "message"
            && json["attachments"] is JsonArray { Count: > 0 } attachments
            && attachments[0]?["contentType"]?.GetValue<string>() == "application/vnd.microsoft.card.adaptive";
        var reply = request.Queued
            ?? (request.Method != "POST" || !request.Path.StartsWith("/workflows/", StringComparison.Ordinal) ? new LoopbackAnswer(404)
            : isCard ? new LoopbackAnswer((int)HttpStatusCode.Accepted)
            : new LoopbackAnswer(400, """{"error":{"code":"InvalidRequestContent","message":"The input body for trigger 'manual' of type 'Request' did not match its schema definition."}}"""));
        lock (_requests)
        {
            _requests.Add(new TeamsStubRequest(request.Body, json, reply.Hang ? 0 : reply.Status) { ReceivedAt = DateTimeOffset.UtcNow, Headers = request.Headers });
        }

        return reply;
    }
}
