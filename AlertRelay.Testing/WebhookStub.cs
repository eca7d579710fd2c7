using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AlertRelay.Testing;

/// <summary>
/// A loopback generic webhook receiver (what Alertmanager's <c>webhook_configs</c> post to): records every request and answers 200,
/// or what the test asks for next (a status with Retry-After, a redirect, no answer at all), or refuses connections while down.
/// </summary>
/// <remarks>A <see cref="LoopbackServer"/>: Kestrel on 127.0.0.1, the port kept across <see cref="GoDownAsync"/>/<see cref="ComeBackAsync"/>.</remarks>
public sealed class WebhookStub : IAsyncDisposable
{
    public const string Path = "/hook";

    private readonly List<WebhookStubRequest> _requests = [];
    private readonly LoopbackServer _server;

    private WebhookStub() => _server = new LoopbackServer(Answer);

    public int Port => _server.Port;

    /// <summary>The URL to configure as <c>url</c>: http://127.0.0.1:port/hook.</summary>
    public string Url => $"http://127.0.0.1:{Port}{Path}";

    /// <summary>Every request received so far, in order, whatever it was answered.</summary>
    public IReadOnlyList<WebhookStubRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>The requests answered 2xx: the messages delivered.</summary>
    public IReadOnlyList<WebhookStubRequest> Delivered => [.. Requests.Where(r => r.Accepted)];

    public static async Task<WebhookStub> StartAsync()
    {
        var stub = new WebhookStub();
        await stub._server.StartAsync();
        return stub;
    }

    /// <summary>The next <paramref name="count"/> requests are answered <paramref name="status"/>, with <c>Retry-After</c> in seconds when given.</summary>
    public void AnswerNext(HttpStatusCode status, int count = 1, int? retryAfterSeconds = null, string body = "") =>
        _server.Enqueue(new LoopbackAnswer((int)status, body, retryAfterSeconds), count);

    /// <summary>The next request is answered 307 to <paramref name="path"/> on this stub.</summary>
    public void RedirectNext(string path) => _server.Enqueue(new LoopbackAnswer(307, Location: path));

    /// <summary>The next request is read and never answered (until the client gives up): a timeout.</summary>
    public void HangNext() => _server.Enqueue(new LoopbackAnswer(0, Hang: true));

    /// <summary>Stops listening: connections are refused until <see cref="ComeBackAsync"/>. Requests are kept.</summary>
    public Task GoDownAsync() => _server.GoDownAsync();

    /// <summary>Listens again on the same port.</summary>
    public Task ComeBackAsync() => _server.ComeBackAsync();

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    /// <summary>Records the request (in the order answered: the server calls this under its lock) and answers 200 unless told otherwise.</summary>
    private LoopbackAnswer Answer(LoopbackRequest request)
    {
        var answer = request.Queued ?? new LoopbackAnswer(200);
        lock (_requests)
        {
            _requests.Add(new WebhookStubRequest(request.Method, request.Path, request.Headers, request.Body, TryParse(request.Body), answer.Hang ? 0 : answer.Status)
            {
                ReceivedAt = DateTimeOffset.UtcNow,
            });
        }

        return answer;
    }

    private static JsonNode? TryParse(string body)
    {
        try
        {
            return JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
