using System.Text.Json.Nodes;

namespace AlertRelay.Testing;

/// <summary>One request <see cref="SlackStub"/> received: method, path, headers (case-insensitive names) and body, parsed when JSON.</summary>
public sealed record SlackStubRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body, JsonNode? Json)
{
    /// <summary>When the stub read the request (its body complete).</summary>
    public DateTimeOffset ReceivedAt { get; init; }

    /// <summary>When the request arrived, before its body was read: a <see cref="System.Diagnostics.Stopwatch"/> timestamp (the benchmark's latencies).</summary>
    public long ArrivedAt { get; init; }

    public string? Authorization => Headers.TryGetValue("Authorization", out var value) ? value : null;

    public string? ContentType => Headers.TryGetValue("Content-Type", out var value) ? value : null;

    /// <summary>A string member of the JSON body (channel, ts, thread_ts, text...), or null.</summary>
    public string? Field(string name) =>
        Json is JsonObject body && body[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
