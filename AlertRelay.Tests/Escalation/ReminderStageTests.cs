using AlertRelay.Core.Configuration;
using AlertRelay.Core.Escalation;

namespace AlertRelay.Tests.Escalation;

/// <summary>The reminder schedule as a pure decision: the decaying intervals, what pauses it, how it resumes and catches up.</summary>
public sealed class ReminderStageTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static IReadOnlyList<TimeSpan> Repeat(string list) => list.Split(',').Select(PrometheusDuration.Parse).ToList();

    private static string Format(TimeSpan span) => PrometheusDuration.Format(span);

    /// <summary>
    /// Runs <see cref="ReminderStage.Decide"/> once a minute from the firing start to <paramref name="elapsed"/> (as the scheduler
    /// would, applying each decision) and returns when each reminder went out, relative to the start.
    /// </summary>
    private static List<string> Simulate(IReadOnlyList<TimeSpan> repeat, TimeSpan elapsed)
    {
        var state = new ReminderState(true, T0, 0, ReminderStage.FirstAt(repeat, T0), null, null);
        var sent = new List<string>();
        for (var at = TimeSpan.Zero; at <= elapsed; at += TimeSpan.FromMinutes(1))
        {
            var decision = ReminderStage.Decide(repeat, state, T0 + at);
            if (decision.Send is { } number)
            {
                Assert.Equal(state.Sent + 1, number);
                sent.Add(Format(at));
            }

            state = state with { Sent = decision.Send ?? state.Sent, NextAt = decision.NextAt };
        }

        return sent;
    }

    public static TheoryData<string, string, string, string> Schedules => new()
    {
        // name, repeat, elapsed, reminders sent at
        { "none before the first interval", "15m,30m,1h,4h", "14m", "" },
        { "the first at firing start + repeat[0]", "15m,30m,1h,4h", "15m", "15m" },
        { "the second one repeat[1] after the first", "15m,30m,1h,4h", "45m", "15m 45m" },
        { "decaying", "15m,30m,1h,4h", "5h44m", "15m 45m 1h45m" },
        { "the last interval repeats", "15m,30m,1h,4h", "9h45m", "15m 45m 1h45m 5h45m 9h45m" },
        { "a single interval repeats", "10m", "35m", "10m 20m 30m" },
        { "a long wait, then often", "1h,5m", "1h20m", "1h 1h5m 1h10m 1h15m 1h20m" },
    };

    [Theory]
    [MemberData(nameof(Schedules))]
    public void Decide_SendsRemindersOnTheDecayingSchedule_WhenNobodyActs(string name, string repeat, string elapsed, string expected)
    {
        var sent = Simulate(Repeat(repeat), PrometheusDuration.Parse(elapsed));

        Assert.True(string.Join(' ', sent) == expected, $"{name}: sent at {string.Join(' ', sent)}, expected {expected}");
    }

    /// <summary>One state, one instant: (reason, reminder sent, next reminder at, look again at), times relative to the firing start.</summary>
    public static TheoryData<string, ReminderState, TimeSpan, string> Decisions
    {
        get
        {
            var firing = new ReminderState(true, T0, 1, T0.AddMinutes(45), null, null); // reminder 1 went out at 15m; 2 is due at 45m
            return new TheoryData<string, ReminderState, TimeSpan, string>
            {
                { "not yet due", firing, TimeSpan.FromMinutes(44), "NotYetDue - 45m 45m" },
                { "due on time: the next from the due time", firing, TimeSpan.FromMinutes(45), "Due 2 1h45m 1h45m" },
                { "due a little late: still on schedule", firing, TimeSpan.FromMinutes(50), "Due 2 1h45m 1h45m" },
                { "several missed: one, the next from now", firing, TimeSpan.FromHours(10), "Due 2 11h 11h" },
                { "resolved", firing with { Firing = false }, TimeSpan.FromHours(1), "Resolved - - -" },
                { "acknowledged for good", firing with { Ack = new("alice", null, T0, null) }, TimeSpan.FromHours(1), "Acknowledged - - -" },
                { "acknowledged until 2h", firing with { Ack = new("alice", null, T0, T0.AddHours(2)) }, TimeSpan.FromHours(1), "Acknowledged - - 2h" },
                { "an expired acknowledgement counts as none", firing with { Ack = new("alice", null, T0, T0.AddMinutes(30)) }, TimeSpan.FromHours(1), "Due 2 1h45m 1h45m" },
                { "silenced until 3h", firing with { SilencedUntil = T0.AddHours(3) }, TimeSpan.FromHours(1), "Silenced - - 3h" },
                { "an ended silence counts as none", firing with { SilencedUntil = T0.AddMinutes(50) }, TimeSpan.FromHours(1), "Due 2 1h45m 1h45m" },
                { "resumed: one current interval from now", firing with { NextAt = null }, TimeSpan.FromHours(3), "Resumed - 3h30m 3h30m" },
                { "resumed before the first: repeat[0] from now", firing with { Sent = 0, NextAt = null }, TimeSpan.FromHours(3), "Resumed - 3h15m 3h15m" },
                { "resumed past the last interval: the last", firing with { Sent = 9, NextAt = null }, TimeSpan.FromHours(3), "Resumed - 7h 7h" },
            };
        }
    }

    [Theory]
    [MemberData(nameof(Decisions))]
    public void Decide_ReturnsTheReasonAndTimes_ForEachState(string name, ReminderState state, TimeSpan now, string expected)
    {
        var decision = ReminderStage.Decide(Repeat("15m,30m,1h,4h"), state, T0 + now);

        string At(DateTimeOffset? at) => at is { } value ? Format(value - T0) : "-";
        var actual = $"{decision.Reason} {decision.Send?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"} {At(decision.NextAt)} {At(decision.CheckAt)}";
        Assert.True(actual == expected, $"{name}: {actual}, expected {expected}");
    }

    [Fact]
    public void Decide_SendsNothing_WhenThePolicyHasNoRepeat()
    {
        var decision = ReminderStage.Decide([], new ReminderState(true, T0, 0, null, null, null), T0.AddDays(1));

        Assert.Equal(ReminderDecision.None(ReminderReason.NoRepeat), decision);
        Assert.Null(ReminderStage.FirstAt([], T0));
    }

    [Theory]
    [InlineData(0, "15m")]
    [InlineData(1, "30m")]
    [InlineData(3, "4h")]
    [InlineData(100, "4h")]
    public void Interval_IsRepeatAtTheCount_TheLastRepeating(int sent, string expected) =>
        Assert.Equal(expected, Format(ReminderStage.Interval(Repeat("15m,30m,1h,4h"), sent)));
}
