using System.Text.Json.Nodes;

namespace AlertRelay.Testing;

/// <summary>A message as <see cref="SlackStub"/> holds it: the latest content (updates applied), how often it was updated, and its thread replies.</summary>
public sealed record SlackStubMessage(
    string Ts,
    string Channel,
    string Text,
    JsonArray? Blocks,
    JsonArray? Attachments,
    string? ThreadTs,
    int UpdateCount,
    bool ViaWebhook,
    IReadOnlyList<SlackStubMessage> Replies)
{
    /// <summary>Every text in the message: the fallback text, and each text, field, element and attachment fallback in the blocks.</summary>
    public string AllText => string.Join("\n", new[] { Text }.Concat(Texts(Blocks)).Concat(Texts(Attachments)));

    /// <summary>The colour of the first attachment, or null.</summary>
    public string? Color => Attachments?.FirstOrDefault()?["color"]?.GetValue<string>();

    private static IEnumerable<string> Texts(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    if (name is "text" or "fallback" && child is JsonValue value && value.TryGetValue<string>(out var text))
                    {
                        yield return text;
                    }
                    else
                    {
                        foreach (var nested in Texts(child))
                        {
                            yield return nested;
                        }
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    foreach (var nested in Texts(item))
                    {
                        yield return nested;
                    }
                }

                break;
        }
    }
}
