using AlertRelay.Core.Alerts;
using AlertRelay.Core.Notify;
using static AlertRelay.Tests.Notify.Email.EmailSamples;

namespace AlertRelay.Tests.Notify;

/// <summary>The words of a reminder, read from the detail the scheduler queued it with.</summary>
public sealed class ReminderTextTests
{
    private static NotificationMessage Reminder(string? detail, AlertStatus status = AlertStatus.Firing) =>
        new(45, "oncall", NotificationKind.Reminder, [Alert(status)], null) { EscalationStep = detail };

    public static TheoryData<string, string?, AlertStatus, string, string> Cases => new()
    {
        // name, detail, the alert's status when sent, sentence, tag
        { "the second", "reminder 2 after 45m", AlertStatus.Firing, "Reminder 2: still firing and unacknowledged for 45m — HighErrorRate", "[REMINDER 2]" },
        { "after an outage", "reminder 1 after 10h", AlertStatus.Firing, "Reminder 1: still firing and unacknowledged for 10h — HighErrorRate", "[REMINDER 1]" },
        { "resolved before it was sent", "reminder 3 after 1h45m", AlertStatus.Resolved, "Reminder 3: still firing and unacknowledged for 1h45m, resolved since — HighErrorRate", "[REMINDER 3]" },
        { "a detail that does not say", "something else", AlertStatus.Firing, "Reminder: still firing and unacknowledged — HighErrorRate", "[REMINDER]" },
        { "no detail", null, AlertStatus.Firing, "Reminder: still firing and unacknowledged — HighErrorRate", "[REMINDER]" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Sentence_SaysWhichReminderAndForHowLong_FromTheDetail(string name, string? detail, AlertStatus status, string sentence, string tag)
    {
        var message = Reminder(detail, status);

        Assert.True(ReminderText.Sentence(message) == sentence, $"{name}: {ReminderText.Sentence(message)}");
        Assert.Equal(tag, ReminderText.Tag(message));
    }

    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<string, NotificationMessage, string?> OutdatedCases => new()
    {
        { "firing, nobody acted", Reminder("reminder 1 after 15m"), null },
        { "resolved since", Reminder("reminder 1 after 15m", AlertStatus.Resolved), "resolved since it was queued" },
        { "acknowledged since", With(a => a with { Acknowledgement = new("alice", null, Now.AddMinutes(-1), null) }), "acknowledged since it was queued" },
        { "an acknowledgement that expired", With(a => a with { Acknowledgement = new("alice", null, Now.AddHours(-2), Now.AddMinutes(-1)) }), null },
        { "silenced since", With(a => a with { Silence = new("s-1", "bob", Now.AddHours(1)) }), "silenced since it was queued" },
        { "a silence that ended", With(a => a with { Silence = new("s-1", "bob", Now) }), null },
        { "not a reminder", Reminder(null) with { Kind = NotificationKind.Firing, Alerts = [Alert(AlertStatus.Resolved)] }, null },
    };

    [Theory]
    [MemberData(nameof(OutdatedCases))]
    public void Outdated_SaysWhyAReminderIsNoLongerWorthSending(string name, NotificationMessage message, string? expected) =>
        Assert.True(ReminderText.Outdated(message, Now) == expected, $"{name}: {ReminderText.Outdated(message, Now)}");

    private static NotificationMessage With(Func<NotifiedOccurrence, NotifiedOccurrence> change)
    {
        var message = Reminder("reminder 2 after 45m");
        return message with { Alerts = [change(message.Alerts[0])] };
    }
}
