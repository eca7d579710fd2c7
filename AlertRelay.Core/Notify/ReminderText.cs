using System.Globalization;
using System.Text.RegularExpressions;

namespace AlertRelay.Core.Notify;

/// <summary>
/// The words of a reminder (<see cref="NotificationKind.Reminder"/>), the same in Slack and e-mail: "Reminder 2: still firing and
/// unacknowledged for 45m — HighErrorRate", from the notification's detail ("reminder 2 after 45m", written when it was queued so
/// that a retry renders the same text).
/// </summary>
public static partial class ReminderText
{
    /// <summary>The reminder's number and how long the occurrence had been firing when it was queued; null when the detail does not say.</summary>
    public static (int Number, string FiringFor)? Parse(string? detail)
    {
        var match = detail is null ? null : DetailPattern().Match(detail);
        return match is { Success: true } && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? (number, match.Groups[2].Value)
            : null;
    }

    /// <summary>
    /// "Reminder 2: still firing and unacknowledged for 45m" (or without number and duration when the detail lacks them);
    /// "..., resolved since" when the alert resolved between the reminder being queued and being sent (not sent by the dispatcher:
    /// <see cref="Outdated"/>; kept for a notifier called directly).
    /// </summary>
    public static string Note(NotificationMessage message)
    {
        var note = Parse(message.EscalationStep) is { } reminder
            ? $"Reminder {reminder.Number.ToString(CultureInfo.InvariantCulture)}: still firing and unacknowledged for {reminder.FiringFor}"
            : "Reminder: still firing and unacknowledged";
        return message.Alerts.Count > 0 && message.FiringCount == 0 ? note + ", resolved since" : note;
    }

    /// <summary>The note and what it is about: "Reminder 2: still firing and unacknowledged for 45m — HighErrorRate".</summary>
    public static string Sentence(NotificationMessage message)
    {
        var about = message.Alerts.Count == 1 ? message.Alerts[0].Alertname : "";
        return about.Length == 0 ? Note(message) : $"{Note(message)} — {about}";
    }

    /// <summary>
    /// Why a reminder queued earlier is no longer worth sending (null: send it): someone acknowledged or silenced the alert, or it
    /// resolved, between the reminder being queued and being sent (the resolve has its own notification). A reminder about
    /// something already handled is noise at 3 a.m.
    /// </summary>
    public static string? Outdated(NotificationMessage message, DateTimeOffset now) =>
        message.Kind != NotificationKind.Reminder || message.Alerts.Count == 0 ? null
        : message.FiringCount == 0 ? "resolved since it was queued"
        : message.Alerts.All(a => a.Acknowledgement is { } ack && ack.IsActiveAt(now)) ? "acknowledged since it was queued"
        : message.Alerts.All(a => a.Silence is { } silence && silence.EndsAt > now) ? "silenced since it was queued"
        : null;

    /// <summary>The tag of a reminder that starts a conversation of its own (nothing to reply to): <c>[REMINDER 2]</c>.</summary>
    public static string Tag(NotificationMessage message) =>
        Parse(message.EscalationStep) is { } reminder ? $"[REMINDER {reminder.Number.ToString(CultureInfo.InvariantCulture)}]" : "[REMINDER]";

    [GeneratedRegex(@"^reminder (\d+) after (\S+)$", RegexOptions.CultureInvariant)]
    private static partial Regex DetailPattern();
}
