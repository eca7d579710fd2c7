using AlertRelay.Core.Schedules;
using CsCheck;
using NodaTime;

namespace AlertRelay.Tests.Schedules;

/// <summary>
/// Random rotations (start, a length of whole hours, days or weeks, 1-5 participants) and random non-overlapping overrides, in three
/// zones with daylight-saving changes (Australia/Lord_Howe's is 30 minutes). Starts and override bounds are drawn near the zones'
/// transitions, where local time is skipped or repeated: the shifts tile time, agree with ShiftAt, and handoffs land on local times.
/// </summary>
public sealed class OncallSchedulePropertyTests
{
    private static readonly string[] ZoneIds = ["Europe/Paris", "America/New_York", "Australia/Lord_Howe"];

    private static readonly string[] Names = ["alice", "bob", "carol", "dave", "erin"];

    /// <summary>Every daylight-saving transition of the three zones from 2025 to 2028, as local times just before the change.</summary>
    private static readonly (DateTimeZone Zone, Instant Transition)[] Transitions =
    [
        .. ZoneIds.Select(id => DateTimeZoneProviders.Tzdb[id]).SelectMany(zone => zone
            .GetZoneIntervals(Instant.FromUtc(2025, 1, 1, 0, 0), Instant.FromUtc(2028, 12, 31, 0, 0))
            .Skip(1)
            .Select(interval => (zone, interval.Start))),
    ];

    /// <summary>A local time within two days of a transition, on a 10-minute grid (so it often falls in a gap or an overlap).</summary>
    private static Gen<LocalDateTime> NearTransition(DateTimeZone zone, Instant transition) =>
        Gen.Int[-288, 288].Select(steps => transition.InZone(zone).LocalDateTime.PlusMinutes(10 * steps));

    private static readonly Gen<Period> LengthGen = Gen.OneOf(
        Gen.Int[1, 48].Select(h => Period.FromHours(h)),
        Gen.Int[1, 10].Select(d => Period.FromDays(d)),
        Gen.Int[1, 3].Select(w => Period.FromWeeks(w)));

    /// <summary>A schedule around one transition, and the window [from, to) examined.</summary>
    public sealed record Case(OncallSchedule Schedule, Instant Transition)
    {
        public override string ToString() =>
            $"{Schedule.Zone.Id} start {Schedule.Rotation.Start} length {Schedule.Rotation.Length} [{string.Join(",", Schedule.Rotation.Participants)}] " +
            $"overrides [{string.Join("; ", Schedule.Overrides.Select(o => $"{o.Participant} {o.From}..{o.To}"))}] near {Transition}";
    }

    private static readonly Gen<Case> CaseGen =
        from pick in Gen.Int[0, Transitions.Length - 1]
        let zone = Transitions[pick].Zone
        let transition = Transitions[pick].Transition
        from start in Gen.Frequency(
            (3, NearTransition(zone, transition)),
            (1, NearTransition(zone, transition).Select(t => t.PlusDays(-7 * 5))))
        from length in LengthGen
        from count in Gen.Int[1, 5]
        from bounds in NearTransition(zone, transition).Array[0, 8]
        from people in Gen.Int[0, 4].Array[4]
        select new Case(Schedule(zone, start, length, Names[..count], Overrides(bounds, people)), transition);

    /// <summary>Distinct sorted bounds paired up: [b0, b1), [b2, b3), ... never overlap on the local clock.</summary>
    private static List<ScheduleOverride> Overrides(LocalDateTime[] bounds, int[] people)
    {
        var sorted = bounds.Distinct().Order().ToArray();
        return [.. Enumerable.Range(0, sorted.Length / 2).Select(i => new ScheduleOverride(Names[people[i]], sorted[2 * i], sorted[2 * i + 1]))];
    }

    private static OncallSchedule Schedule(DateTimeZone zone, LocalDateTime start, Period length, string[] participants, List<ScheduleOverride> overrides) =>
        new("primary", zone, new Rotation(start, length.ToDuration(), participants), overrides);

    [Fact]
    public void Shifts_TileTheRangeAndAgreeWithShiftAt_ForRandomRotationsAndOverrides()
    {
        CaseGen.Sample(c =>
        {
            var from = c.Transition.Minus(Duration.FromDays(3)).ToDateTimeOffset();
            var to = c.Transition.Plus(Duration.FromDays(3)).ToDateTimeOffset();

            var shifts = c.Schedule.Shifts(from, to);

            Assert.NotEmpty(shifts);
            Assert.True(shifts[0].Start <= from && from < shifts[0].End, $"the first shift {shifts[0]} does not hold {from:O}");
            Assert.True(shifts[^1].End >= to, $"the last shift {shifts[^1]} ends before {to:O}");
            for (var i = 0; i < shifts.Count; i++)
            {
                var shift = shifts[i];
                Assert.True(shift.Start < shift.End, $"empty or inverted shift {shift}");
                Assert.Equal(shift, c.Schedule.ShiftAt(shift.Start));
                Assert.Equal(shift, c.Schedule.ShiftAt(shift.End.AddTicks(-1)));
                Assert.Equal(shift, c.Schedule.ShiftAt(shift.Start + (shift.End - shift.Start) / 2));
                if (i > 0)
                {
                    Assert.Equal(shifts[i - 1].End, shift.Start); // no gap, no overlap
                }
            }
        }, iter: 400);
    }

    [Fact]
    public void ShiftAt_HoldsTheInstantAndPicksTheOverride_ForRandomInstants()
    {
        var gen = from c in CaseGen from minutes in Gen.Int[-3 * 1440, 3 * 1440] select (c, at: c.Transition.Plus(Duration.FromMinutes(minutes)));
        gen.Sample((c, at) =>
        {
            var shift = c.Schedule.ShiftAt(at.ToDateTimeOffset());

            Assert.True(shift.Start <= at.ToDateTimeOffset() && at.ToDateTimeOffset() < shift.End, $"{shift} does not hold {at}");
            var local = at.InZone(c.Schedule.Zone).LocalDateTime;
            var covering = c.Schedule.Overrides.Where(o => o.From <= local && local < o.To).ToList();
            if (covering.Count == 1 && c.Schedule.Zone.MapLocal(local).Count == 1)
            {
                Assert.True(shift.IsOverride, $"{at} ({local}) is in {covering[0]} but {shift} is the rotation's");
                Assert.Equal(covering[0].Participant, shift.Participant);
            }
            else if (!shift.IsOverride)
            {
                var participants = c.Schedule.Rotation.Participants;
                var k = Turn(c.Schedule, at.ToDateTimeOffset());
                Assert.Equal(participants[(int)(((k % participants.Count) + participants.Count) % participants.Count)], shift.Participant);
            }
        }, iter: 400);
    }

    /// <summary>The rotation turn k with HandoffAt(k) &lt;= at &lt; HandoffAt(k + 1), by bisection (handoffs never go back: tested below).</summary>
    private static long Turn(OncallSchedule schedule, DateTimeOffset at)
    {
        var (low, high) = (-5_000L, 5_000L); // starts lie within six weeks of the instants: at most ~1000 hourly turns away
        while (high - low > 1)
        {
            var middle = (low + high) / 2;
            (low, high) = schedule.HandoffAt(middle) <= at ? (middle, high) : (low, middle);
        }

        return low;
    }

    [Fact]
    public void HandoffAt_LandsOnTheLocalTime_OrRightAfterTheGap_WhenTheLocalTimeIsSkipped()
    {
        CaseGen.Sample(c =>
        {
            var rotation = c.Schedule.Rotation;
            var previous = (DateTimeOffset?)null;
            for (var k = -60L; k <= 60; k++)
            {
                var handoff = Instant.FromDateTimeOffset(c.Schedule.HandoffAt(k));
                var local = rotation.Start.PlusTicks(k * rotation.Length.BclCompatibleTicks);
                var mapping = c.Schedule.Zone.MapLocal(local);
                if (mapping.Count > 0)
                {
                    Assert.Equal(local, handoff.InZone(c.Schedule.Zone).LocalDateTime);
                    Assert.Equal(mapping.First().ToInstant(), handoff); // ambiguous: the earlier
                }
                else
                {
                    Assert.Equal(mapping.LateInterval.Start, handoff); // skipped: the first instant after the gap
                }

                Assert.True(previous is null || previous <= handoff.ToDateTimeOffset(), $"handoff {k} at {handoff} goes back before {previous:O}");
                previous = handoff.ToDateTimeOffset();
            }
        }, iter: 300);
    }

    [Fact]
    public void HandoffAt_StaysAtNineLocal_ForAWeeklyRotationAcrossEveryTransition()
    {
        Gen.Int[0, Transitions.Length - 1].Sample(pick =>
        {
            var (zone, transition) = Transitions[pick];
            var start = transition.InZone(zone).Date.PlusWeeks(-4).At(new LocalTime(9, 0));
            var schedule = Schedule(zone, start, Period.FromWeeks(1), ["alice", "bob"], []);

            for (var k = 0; k <= 8; k++)
            {
                var local = Instant.FromDateTimeOffset(schedule.HandoffAt(k)).InZone(zone).LocalDateTime;
                Assert.Equal(new LocalTime(9, 0), local.TimeOfDay);
                Assert.Equal(start.Date.PlusWeeks(k), local.Date);
            }
        }, iter: 50);
    }
}
