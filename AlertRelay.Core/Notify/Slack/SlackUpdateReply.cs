using AlertRelay.Core.Oncall;

namespace AlertRelay.Core.Notify.Slack;

/// <summary>
/// The thread reply of a <see cref="NotificationKind.Update"/>: what an on-call action did (its detail: acknowledged,
/// unacknowledged, silenced, unsilenced), with who and when as the occurrence records it now.
/// </summary>
public static class SlackUpdateReply
{
    public const string Acknowledged = "acknowledged";
    public const string Unacknowledged = "unacknowledged";
    public const string Silenced = "silenced";
    public const string Unsilenced = "unsilenced";

    public static SlackMessage Build(NotificationMessage message)
    {
        var alert = message.Alerts.Count == 1 ? message.Alerts[0] : null;
        var text = message.EscalationStep switch
        {
            Acknowledged when alert?.Acknowledgement is { } ack =>
                $":white_check_mark: *Acknowledged* by *{SlackText.Escape(ack.By)}* at {SlackAlertText.Date(ack.At)}: escalation and reminders stop",
            // Taken back again before this reply went out: the message already shows the state as it is now.
            Acknowledged => ":white_check_mark: *Acknowledged* (since taken back)",
            Unacknowledged => ":leftwards_arrow_with_hook: *Acknowledgement taken back*: escalation resumes",
            Silenced when alert?.Silence is { } silence => Silence(silence),
            Silenced => ":no_bell: *Silenced* (the silence has ended since)",
            Unsilenced => ":bell: *Silence ended*: Alertmanager notifies about this alert again",
            var other => $"Updated: {SlackText.Escape(other ?? "state changed")}",
        };

        return new SlackMessage(SlackText.Truncate(text, SlackMessageBuilder.MaxFallbackText))
        {
            Blocks = new System.Text.Json.Nodes.JsonArray(SlackBlocks.Section(text)),
        };
    }

    private static string Silence(ActiveSilence silence) =>
        $":no_bell: *Silenced* until {SlackAlertText.Date(silence.EndsAt)}"
        + (silence.By.Length > 0 ? $" by *{SlackText.Escape(silence.By)}*" : "")
        + $" (silence `{SlackText.Escape(silence.Id)}`)";
}
