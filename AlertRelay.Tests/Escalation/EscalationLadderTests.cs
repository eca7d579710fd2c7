using AlertRelay.Core.Escalation;
using Microsoft.Extensions.Time.Testing;

namespace AlertRelay.Tests.Escalation;

/// <summary>
/// Runs <see cref="EscalationStage.Decide"/> the way the scheduler worker will (a pass every minute on a
/// <see cref="FakeTimeProvider"/>, persisting the step count), through outages, acknowledgements and resolution.
/// </summary>
public sealed class EscalationLadderTests
{
    private static readonly EscalationPolicy Ladder = new(
        "default",
        [],
        [
            new EscalationStep(TimeSpan.Zero, "slack-oncall", null),
            new EscalationStep(TimeSpan.FromMinutes(15), "email-lead", null),
            new EscalationStep(TimeSpan.FromMinutes(30), null, "critical"),
        ]);

    /// <summary>A stand-in for the worker and the store: one occurrence, its step count, ack and status.</summary>
    private sealed class FakeScheduler(EscalationPolicy policy, TimeProvider time)
    {
        private readonly DateTimeOffset _firingSince = time.GetUtcNow();

        public int StepsDone { get; private set; }

        public bool Firing { get; set; } = true;

        public Acknowledgement? Ack { get; set; }

        public List<(int Index, int AtMinute)> Fired { get; } = [];

        public TimeSpan Elapsed => time.GetUtcNow() - _firingSince;

        public void RunOnce()
        {
            var now = time.GetUtcNow();
            var decision = EscalationStage.Decide(new EscalationState(policy, _firingSince, StepsDone, Firing, Ack), now);
            foreach (var (index, _) in decision.Steps)
            {
                // The store records each step as done in the same transaction as its outbox row.
                Assert.Equal(StepsDone, index);
                Fired.Add((index, (int)(now - _firingSince).TotalMinutes));
                StepsDone++;
            }
        }
    }

    /// <summary>
    /// Three hours of one-minute passes; times in whole minutes since firing began. The worker is down in
    /// [DownFrom, DownUntil); the ack is taken at AckAt, expiring AckFor later (never when null).
    /// </summary>
    public sealed record Scenario(
        string Name,
        int? DownFrom,
        int? DownUntil,
        int? AckAt,
        int? AckFor,
        int? ResolvedAt,
        (int Index, int AtMinute)[] Expected,
        string ExpectedSeverity)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<Scenario> Scenarios() =>
    [
        new("no intervention: each step at its time", null, null, null, null, null, [(0, 0), (1, 15), (2, 30)], "critical"),
        new("2 h outage: missed steps at once, in order, once", 1, 120, null, null, null, [(0, 0), (1, 120), (2, 120)], "critical"),
        new("outage from the start: the whole ladder on restart", 0, 45, null, null, null, [(0, 45), (1, 45), (2, 45)], "critical"),
        new("acknowledged at 10m: nothing more", null, null, 10, null, null, [(0, 0)], "warning"),
        new("ack at 10m expiring at 40m: due steps resume at 40m", null, null, 10, 30, null, [(0, 0), (1, 40), (2, 40)], "critical"),
        new("ack at 10m expiring at 20m: resume, then the normal schedule", null, null, 10, 10, null, [(0, 0), (1, 20), (2, 30)], "critical"),
        new("resolved at 20m", null, null, null, null, 20, [(0, 0), (1, 15)], "warning"),
    ];

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Decide_FiresEachStepOnceInOrder_ThroughOutagesAcksAndResolution(Scenario scenario)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 22, 0, 0, TimeSpan.Zero));
        var scheduler = new FakeScheduler(Ladder, time);

        for (var minute = 0; minute <= 180; minute++)
        {
            if (minute == scenario.AckAt)
            {
                var at = time.GetUtcNow();
                scheduler.Ack = new Acknowledgement("alice", "looking", at, scenario.AckFor is { } ackFor ? at.AddMinutes(ackFor) : null);
            }

            if (minute == scenario.ResolvedAt)
            {
                scheduler.Firing = false;
            }

            var down = minute >= scenario.DownFrom && minute < scenario.DownUntil;
            if (!down)
            {
                scheduler.RunOnce();
            }

            time.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Equal(scenario.Expected, scheduler.Fired);
        Assert.Equal(scenario.ExpectedSeverity, EscalationStage.EffectiveSeverity("warning", Ladder, scheduler.StepsDone));
    }

    [Fact]
    public void NextCheckAt_IsWhenTheWorkerFindsStepsDue_WhenFollowedExactly()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 22, 0, 0, TimeSpan.Zero));
        var scheduler = new FakeScheduler(Ladder, time);
        var firingSince = time.GetUtcNow();
        var wakeUps = new List<TimeSpan>();

        // Sleep exactly until NextCheckAt instead of polling: no step is late, none runs twice.
        while (true)
        {
            scheduler.RunOnce();
            var next = EscalationStage.Decide(new EscalationState(Ladder, firingSince, scheduler.StepsDone, true, null), time.GetUtcNow()).NextCheckAt;
            if (next is not { } wakeAt)
            {
                break;
            }

            time.Advance(wakeAt - time.GetUtcNow());
            wakeUps.Add(scheduler.Elapsed);
        }

        Assert.Equal([TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30)], wakeUps);
        Assert.Equal([(0, 0), (1, 15), (2, 30)], scheduler.Fired);
    }
}
