using System.Text.Json.Nodes;

namespace AlertRelay.Testing;

/// <summary>One request <see cref="TeamsStub"/> received: its body and JSON, and the status it was answered.</summary>
public sealed record TeamsStubRequest(string Body, JsonNode? Json, int Status)
{
    /// <summary>When the stub read the request.</summary>
    public DateTimeOffset ReceivedAt { get; init; }

    /// <summary>The request's headers (case-insensitive names).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>The card's heading (its first text block).</summary>
    public string? Title => Card?["body"]?[0]?["text"]?.GetValue<string>();

    /// <summary>The card's text (its second text block).</summary>
    public string? Text => Card?["body"]?[1]?["text"]?.GetValue<string>();

    /// <summary>The heading's colour: Attention (firing) or Good (resolved).</summary>
    public string? Color => Card?["body"]?[0]?["color"]?.GetValue<string>();

    private JsonNode? Card => Json?["attachments"]?[0]?["content"];
}
