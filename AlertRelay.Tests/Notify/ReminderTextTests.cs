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
}
