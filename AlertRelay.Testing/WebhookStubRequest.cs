using System.Text.Json.Nodes;

namespace AlertRelay.Testing;

/// <summary>One request <see cref="WebhookStub"/> received: method, path, headers (case-insensitive names), body and its JSON, and the status it was answered.</summary>
public sealed record WebhookStubRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body, JsonNode? Json, int Status)
{
    /// <summary>When the stub read the request.</summary>
    public DateTimeOffset ReceivedAt { get; init; }

    public string? Authorization => Headers.TryGetValue("Authorization", out var value) ? value : null;

    public string? ContentType => Headers.TryGetValue("Content-Type", out var value) ? value : null;

    public bool Accepted => Status is >= 200 and <= 299;

    /// <summary>The fingerprints of the body's alerts, in order.</summary>
    public IReadOnlyList<string> Fingerprints =>
        Json?["alerts"] is JsonArray alerts ? [.. alerts.Select(a => a?["fingerprint"]?.GetValue<string>() ?? "")] : [];
}
