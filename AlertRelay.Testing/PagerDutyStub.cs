using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AlertRelay.Testing;

/// <summary>
/// A loopback PagerDuty Events API v2 (<c>POST /v2/enqueue</c>) speaking its contract: 202
/// <c>{"status":"success","message":"Event processed","dedup_key":...}</c> for a valid event; 400
/// <c>{"status":"invalid event","message":"Event object is invalid","errors":[...]}</c> for an invalid one (no routing key, an
/// unknown event_action, a trigger without summary, source or a valid severity, an acknowledge or resolve without dedup_key); or what
/// the test asks for next (429 with Retry-After, 5xx, no answer); connections refused while down. It records every request and keeps
/// each alert's state by dedup_key, as PagerDuty would (triggered, acknowledged, resolved).
/// </summary>
public sealed class PagerDutyStub : IAsyncDisposable
{
    public const string Path = "/v2/enqueue";

    private static readonly string[] Actions = ["trigger", "acknowledge", "resolve"];
    private static readonly string[] Severities = ["critical", "error", "warning", "info"];
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private const string ThrottleBody = """{"status":"throttle event","message":"Requests for this service are arriving too quickly.  Please retry later."}""";

    private readonly List<PagerDutyStubEvent> _events = [];
    private readonly Dictionary<string, string> _alerts = new(StringComparer.Ordinal);
    private readonly LoopbackServer _server;

    private PagerDutyStub() => _server = new LoopbackServer(Answer);

    public int Port => _server.Port;

    /// <summary>The URL to configure as <c>url</c>: http://127.0.0.1:port/v2/enqueue.</summary>
    public string Url => $"http://127.0.0.1:{Port}{Path}";

    /// <summary>Every request received so far, in order, whatever it was answered.</summary>
    public IReadOnlyList<PagerDutyStubEvent> Requests
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>The events PagerDuty took (answered 202).</summary>
    public IReadOnlyList<PagerDutyStubEvent> Accepted => [.. Requests.Where(r => r.Status == 202)];

    /// <summary>Each alert's state by dedup_key, after the accepted events: "triggered", "acknowledged" or "resolved".</summary>
    public IReadOnlyDictionary<string, string> Alerts
    {
        get
        {
            lock (_events)
            {
                return new Dictionary<string, string>(_alerts, StringComparer.Ordinal);
            }
        }
    }

    public static async Task<PagerDutyStub> StartAsync()
    {
        var stub = new PagerDutyStub();
        await stub._server.StartAsync();
        return stub;
    }

    /// <summary>The next <paramref name="count"/> requests are answered <paramref name="status"/> (429, 5xx, ...), with Retry-After in seconds when given.</summary>
    public void AnswerNext(HttpStatusCode status, int count = 1, int? retryAfterSeconds = null) =>
        _server.Enqueue(new LoopbackAnswer((int)status, (int)status == 429 ? ThrottleBody : "", retryAfterSeconds), count);

    /// <summary>Every request is answered 429 with Retry-After until <see cref="EndOutage"/> (PagerDuty throttling a service).</summary>
    public void RateLimitAll(int retryAfterSeconds) => _server.Always = new LoopbackAnswer(429, ThrottleBody, retryAfterSeconds);

    /// <summary>Every request is answered <paramref name="status"/> until <see cref="EndOutage"/>.</summary>
    public void FailAll(HttpStatusCode status) => _server.Always = new LoopbackAnswer((int)status);

    /// <summary>Ends <see cref="RateLimitAll"/> or <see cref="FailAll"/>: events are taken again.</summary>
    public void EndOutage() => _server.Always = null;

    /// <summary>The next request is read and never answered (until the client gives up).</summary>
    public void HangNext() => _server.Enqueue(new LoopbackAnswer(0, Hang: true));

    /// <summary>Stops listening: connections are refused until <see cref="ComeBackAsync"/>. Requests are kept.</summary>
    public Task GoDownAsync() => _server.GoDownAsync();

    /// <summary>Listens again on the same port.</summary>
    public Task ComeBackAsync() => _server.ComeBackAsync();

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private LoopbackAnswer Answer(LoopbackRequest request)
    {
        JsonObject? json = null;
        try
        {
            json = JsonNode.Parse(request.Body) as JsonObject;
        }
        catch (JsonException)
        {
        }

        var errors = json is null ? ["Malformed JSON"] : Problems(json);
        var dedupKey = Text(json, "dedup_key") is { Length: > 0 } key ? key : Guid.NewGuid().ToString("N");
        var reply = request.Queued
            ?? (request.Method != "POST" || request.Path != Path ? new LoopbackAnswer(404, """{"status":"not found"}""")
            : errors.Count > 0 ? new LoopbackAnswer(400, new JsonObject
            {
                ["status"] = "invalid event", ["message"] = "Event object is invalid", ["errors"] = new JsonArray([.. errors.Select(e => JsonValue.Create(e))]),
            }.ToJsonString(Relaxed))
            : new LoopbackAnswer(202, new JsonObject { ["status"] = "success", ["message"] = "Event processed", ["dedup_key"] = dedupKey }.ToJsonString(Relaxed)));
        lock (_events)
        {
            var action = Text(json, "event_action") ?? "";
            _events.Add(new PagerDutyStubEvent(request.Body, json, action, Text(json, "dedup_key"), Text(json, "routing_key"), reply.Hang ? 0 : reply.Status)
            {
                ReceivedAt = DateTimeOffset.UtcNow,
                Headers = request.Headers,
            });
            if (reply.Status == 202)
            {
                _alerts[dedupKey] = action switch { "trigger" => "triggered", "acknowledge" => "acknowledged", _ => "resolved" };
            }
        }

        return reply;
    }

    private static List<string> Problems(JsonObject json)
    {
        var errors = new List<string>();
        if (Text(json, "routing_key") is not { Length: > 0 })
        {
            errors.Add("'routing_key' is missing or blank");
        }

        var action = Text(json, "event_action");
        if (!Actions.Contains(action))
        {
            errors.Add("'event_action' is invalid (must be one of the following: 'trigger', 'acknowledge' or 'resolve')");
        }

        if (Text(json, "dedup_key") is { Length: > 255 })
        {
            errors.Add("'dedup_key' must be at most 255 characters");
        }

        if (action is "acknowledge" or "resolve" && Text(json, "dedup_key") is not { Length: > 0 })
        {
            errors.Add("'dedup_key' is missing or blank");
        }

        if (action == "trigger")
        {
            var payload = json["payload"] as JsonObject;
            foreach (var field in (string[])["summary", "source"])
            {
                if (Text(payload, field) is not { Length: > 0 })
                {
                    errors.Add($"'payload.{field}' is missing or blank");
                }
            }

            if (!Severities.Contains(Text(payload, "severity")))
            {
                errors.Add("'payload.severity' is invalid (must be one of the following: 'critical', 'warning', 'error' or 'info')");
            }
        }

        return errors;
    }

    private static string? Text(JsonObject? json, string name) =>
        json?[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
