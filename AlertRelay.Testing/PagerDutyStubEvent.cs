using System.Text.Json.Nodes;

namespace AlertRelay.Testing;

/// <summary>One request <see cref="PagerDutyStub"/> received: its body and JSON, event_action, dedup_key, routing_key, and the status it was answered.</summary>
public sealed record PagerDutyStubEvent(string Body, JsonObject? Json, string Action, string? DedupKey, string? RoutingKey, int Status)
{
    /// <summary>When the stub read the request.</summary>
    public DateTimeOffset ReceivedAt { get; init; }

    /// <summary>The request's headers (case-insensitive names).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary><c>payload.summary</c> of a trigger, or null.</summary>
    public string? Summary => Json?["payload"]?["summary"]?.GetValue<string>();

    /// <summary><c>payload.severity</c> of a trigger, or null.</summary>
    public string? Severity => Json?["payload"]?["severity"]?.GetValue<string>();
}
