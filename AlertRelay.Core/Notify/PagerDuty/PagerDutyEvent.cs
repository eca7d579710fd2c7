using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using AlertRelay.Core.Configuration;

namespace AlertRelay.Core.Notify.PagerDuty;

/// <summary>
/// One PagerDuty Events API v2 event: <c>trigger</c> (with its payload: summary, source, severity, ...), <c>acknowledge</c> or
/// <c>resolve</c> of the alert named by <see cref="DedupKey"/>. The routing key is added only when the body is written, so it is never
/// part of the value (nor of its <see cref="object.ToString"/>).
/// </summary>
public sealed record PagerDutyEvent(string Action, string DedupKey)
{
    public const string Trigger = "trigger";
    public const string Acknowledge = "acknowledge";
    public const string Resolve = "resolve";

    /// <summary>PagerDuty refuses events larger than 512 KB; Alertmanager then drops the custom details, and so does AlertRelay.</summary>
    public const int MaxEventBytes = 512_000;

    private static readonly JsonSerializerOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public string? Summary { get; init; }

    public string? Source { get; init; }

    public string? Severity { get; init; }

    /// <summary>When the alert started (RFC 3339), for an event about one alert.</summary>
    public string? Timestamp { get; init; }

    public string? Class { get; init; }

    public string? Component { get; init; }

    public string? Group { get; init; }

    public JsonObject? CustomDetails { get; init; }

    public string? Client { get; init; }

    public string? ClientUrl { get; init; }

    public IReadOnlyList<PagerDutyImage> Images { get; init; } = [];

    public IReadOnlyList<PagerDutyLink> Links { get; init; } = [];

    /// <summary>The POST body, members in Alertmanager's order; a trigger's payload is left out of acknowledge and resolve (PagerDuty ignores it there).</summary>
    public byte[] ToJsonUtf8(string routingKey)
    {
        var body = Write(routingKey, CustomDetails);
        if (body.Length > MaxEventBytes)
        {
            body = Write(routingKey, new JsonObject
            {
                ["error"] = $"Custom details have been removed because the original event exceeds the maximum size of {MaxEventBytes / 1000} kB",
            });
        }

        return body;
    }

    private byte[] Write(string routingKey, JsonObject? details)
    {
        var json = new JsonObject { ["routing_key"] = routingKey, ["dedup_key"] = DedupKey, ["event_action"] = Action };
        if (Action == Trigger)
        {
            var payload = new JsonObject { ["summary"] = Summary ?? "", ["source"] = Source ?? "", ["severity"] = Severity ?? "" };
            AddIfSet(payload, "timestamp", Timestamp);
            AddIfSet(payload, "class", Class);
            AddIfSet(payload, "component", Component);
            AddIfSet(payload, "group", Group);
            if (details is { Count: > 0 })
            {
                payload["custom_details"] = details.DeepClone();
            }

            json["payload"] = payload;
            AddIfSet(json, "client", Client);
            AddIfSet(json, "client_url", ClientUrl);
            if (Images.Count > 0)
            {
                json["images"] = new JsonArray([.. Images.Select(Image)]);
            }

            if (Links.Count > 0)
            {
                json["links"] = new JsonArray([.. Links.Select(l => Entries(("href", l.Href), ("text", l.Text)))]);
            }
        }

        return Encoding.UTF8.GetBytes(json.ToJsonString(WriterOptions));
    }

    private static JsonNode Image(PagerDutyImage image) => Entries(("src", image.Src), ("alt", image.Alt), ("href", image.Href));

    private static JsonObject Entries(params (string Name, string? Value)[] entries)
    {
        var json = new JsonObject();
        foreach (var (name, value) in entries)
        {
            AddIfSet(json, name, value);
        }

        return json;
    }

    private static void AddIfSet(JsonObject json, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            json[name] = value;
        }
    }
}
