using System.Globalization;
using System.Text.Json.Nodes;
using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.Notify.Slack;

/// <summary>
/// The on-call part of a firing message about one alert: who acknowledged it and when, its silence, and the buttons
/// (Acknowledge or Unacknowledge, Silence 1h, Open in AlertRelay). Resolved messages and digests get none of it.
/// </summary>
internal static class SlackOncallBlocks
{
    public const string AcknowledgeText = "Acknowledge";
    public const string UnacknowledgeText = "Unacknowledge";
    public const string SilenceText = "Silence 1h";
    public const string OpenText = "Open in AlertRelay";
    public const string SilenceForText = "Silence for…";

    /// <summary>The silence the button offers.</summary>
    public static readonly TimeSpan SilenceDuration = TimeSpan.FromHours(1);

    /// <summary>The other silences the select next to the button offers.</summary>
    public static readonly (string Text, TimeSpan Duration)[] OtherSilences = [("4 hours", TimeSpan.FromHours(4)), ("1 day", TimeSpan.FromDays(1))];

    public static List<JsonObject> For(NotificationMessage message, SlackOncallView view)
    {
        if (message.Kind is not (NotificationKind.Firing or NotificationKind.Escalation) || message.Alerts is not [{ Status: AlertStatus.Firing } alert])
        {
            return [];
        }

        var blocks = new List<JsonObject>();
        var state = StateLines(alert);
        if (state.Count > 0)
        {
            blocks.Add(SlackBlocks.Context(state));
        }

        var id = alert.Id.ToString(CultureInfo.InvariantCulture);
        var buttons = new List<JsonObject>();
        if (view.Buttons)
        {
            buttons.Add(alert.Acknowledgement is null
                ? Button(AcknowledgeText, SlackActionIds.Acknowledge, id, style: "primary")
                : Button(UnacknowledgeText, SlackActionIds.Unacknowledge, id));
            if (alert.Silence is null)
            {
                buttons.Add(Button(SilenceText, SlackActionIds.Silence, SlackActionIds.SilenceValue(alert.Id, SilenceDuration)));
                buttons.Add(SilenceSelect(alert.Id));
            }
        }

        if (view.Page is { } page && SlackBlocks.IsLinkable(page.AbsoluteUri))
        {
            buttons.Add(new JsonObject
            {
                ["type"] = "button",
                ["text"] = PlainText(OpenText),
                ["url"] = page.AbsoluteUri,
                ["action_id"] = SlackActionIds.Open,
            });
        }

        if (buttons.Count > 0)
        {
            blocks.Add(new JsonObject { ["type"] = "actions", ["block_id"] = "alertrelay-oncall", ["elements"] = new JsonArray([.. buttons]) });
        }

        return blocks;
    }

    /// <summary>"Acknowledged by alice at …" and "Silenced until … by bob (silence abc)", as the occurrence is now.</summary>
    public static List<string> StateLines(NotifiedOccurrence alert)
    {
        var lines = new List<string>();
        if (alert.Acknowledgement is { } ack)
        {
            var line = $":white_check_mark: Acknowledged by *{SlackText.Escape(ack.By)}* at {SlackAlertText.Date(ack.At)}";
            if (!string.IsNullOrWhiteSpace(ack.Comment))
            {
                line += $": _{SlackText.Escape(SlackText.OneLine(ack.Comment))}_";
            }

            lines.Add(line);
        }

        if (alert.Silence is { } silence)
        {
            var by = silence.By.Length > 0 ? $" by *{SlackText.Escape(silence.By)}*" : "";
            lines.Add($":no_bell: Silenced until {SlackAlertText.Date(silence.EndsAt)}{by} (silence `{SlackText.Escape(silence.Id)}`)");
        }

        return lines;
    }

    private static JsonObject Button(string text, string actionId, string value, string? style = null)
    {
        var button = new JsonObject
        {
            ["type"] = "button",
            ["text"] = PlainText(text),
            ["action_id"] = actionId,
            ["value"] = value,
        };
        if (style is not null)
        {
            button["style"] = style;
        }

        return button;
    }

    private static JsonObject SilenceSelect(long id) => new()
    {
        ["type"] = "static_select",
        ["action_id"] = SlackActionIds.SilenceFor,
        ["placeholder"] = PlainText(SilenceForText),
        ["options"] = new JsonArray([.. OtherSilences.Select(o => (JsonNode)new JsonObject
        {
            ["text"] = PlainText(o.Text),
            ["value"] = SlackActionIds.SilenceValue(id, o.Duration),
        })]),
    };

    private static JsonObject PlainText(string text) => new() { ["type"] = "plain_text", ["text"] = text, ["emoji"] = true };
}
