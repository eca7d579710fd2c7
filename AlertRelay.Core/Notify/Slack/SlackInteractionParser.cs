using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Oncall;

namespace AlertRelay.Core.Notify.Slack;

/// <summary>Reads Slack's interaction payload (the form field <c>payload</c>, JSON) and turns a button's action id and value into an on-call action.</summary>
public static class SlackInteractionParser
{
    public const string BlockActions = "block_actions";

    /// <summary>The interaction, or the error naming the field that is missing or malformed. Other types than block_actions come back with only their type.</summary>
    public static (SlackInteraction? Interaction, string? Error) Parse(string? payload)
    {
        if (string.IsNullOrWhiteSpace(payload))
        {
            return (null, "payload: is missing (Slack sends the interaction as the form field payload)");
        }

        JsonObject? json;
        try
        {
            json = JsonNode.Parse(payload, documentOptions: new JsonDocumentOptions { MaxDepth = 64 }) as JsonObject;
        }
        catch (JsonException ex)
        {
            return (null, $"payload: is not JSON ({ex.Message})");
        }

        if (json is null)
        {
            return (null, "payload: is not a JSON object");
        }

        var type = String(json, "type");
        if (type is null)
        {
            return (null, "payload.type: is missing");
        }

        if (type != BlockActions)
        {
            return (new SlackInteraction(type, "", "", "", null, null), null);
        }

        var user = json["user"] as JsonObject;
        var userId = user is null ? null : String(user, "id");
        if (string.IsNullOrWhiteSpace(userId))
        {
            return (null, "payload.user.id: is missing");
        }

        if ((json["actions"] as JsonArray)?.FirstOrDefault() is not JsonObject action || String(action, "action_id") is not { Length: > 0 } actionId)
        {
            return (null, "payload.actions[0].action_id: is missing");
        }

        var name = new[] { String(user!, "name"), String(user!, "username") }.FirstOrDefault(n => !string.IsNullOrWhiteSpace(n)) ?? userId;
        var value = String(action, "value") ?? (action["selected_option"] is JsonObject option ? String(option, "value") : null);
        var responseUrl = Uri.TryCreate(String(json, "response_url"), UriKind.Absolute, out var url) && url.Scheme is "https" or "http" ? url : null;
        return (new SlackInteraction(type, userId, name.Trim(), actionId, value, responseUrl), null);
    }

    /// <summary>The on-call action a button asks for, or a sentence for the person saying why it cannot be done (unknown button, bad value).</summary>
    public static (SlackButtonAction? Action, string? Error) Action(SlackInteraction interaction)
    {
        var kind = interaction.ActionId switch
        {
            SlackActionIds.Acknowledge => OncallActionKind.Acknowledge,
            SlackActionIds.Unacknowledge => OncallActionKind.Unacknowledge,
            SlackActionIds.Silence or SlackActionIds.SilenceFor => OncallActionKind.Silence,
            _ => (OncallActionKind?)null,
        };
        if (kind is null)
        {
            return (null, $"AlertRelay does not know the button \"{interaction.ActionId}\": nothing was done.");
        }

        var parts = (interaction.Value ?? "").Split(':', 2);
        if (!long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
        {
            return (null, $"This button carries no alert id (\"{interaction.Value}\"): nothing was done.");
        }

        if (kind != OncallActionKind.Silence)
        {
            return (new SlackButtonAction(kind.Value, id), null);
        }

        if (parts.Length < 2 || !PrometheusDuration.TryParse(parts[1], out var duration, out _) || duration <= TimeSpan.Zero)
        {
            return (null, $"This button carries no valid silence duration (\"{interaction.Value}\"): nothing was done.");
        }

        return (new SlackButtonAction(kind.Value, id, duration), null);
    }

    private static string? String(JsonObject json, string name) =>
        json[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
