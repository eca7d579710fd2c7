using NodaTime;
using NodaTime.TimeZones;

namespace AlertRelay.Core.Schedules;

/// <summary>
/// An on-call schedule (<c>oncall_schedules[]</c>): a <see cref="Rotation"/> in a time zone, with <see cref="Overrides"/> on top. Local times
/// that do not exist (skipped by a daylight-saving change) become the first instant after the gap; ambiguous ones take the earlier instant.
/// That mapping never reverses the order of two local times, so handoffs never go backwards and overrides that do not overlap on the
/// local clock never overlap in time. Every instant has exactly one person on call: <see cref="ShiftAt"/>.
/// </summary>
public sealed record OncallSchedule(string Name, DateTimeZone Zone, Rotation Rotation, IReadOnlyList<ScheduleOverride> Overrides)
{
    // Not NodaTime's LenientResolver: it moves a skipped time forward by the length of the gap (02:30 -> 03:30 when 02:00 jumps to
    // 03:00), past later local times that exist (03:00 -> 03:00), so an override ending at 02:20 overlapped one starting at 03:00
    // (found by OncallSchedulePropertyTests).
    private static readonly ZoneLocalMappingResolver Resolver =
        Resolvers.CreateMappingResolver(Resolvers.ReturnEarlier, Resolvers.ReturnStartOfIntervalAfter);

    /// <summary>The receiver whose channel messages mention the person paged (<c>receiver:</c>), and whose Slack and email settings reach them.</summary>
    public string? Receiver { get; init; }

    /// <summary>The shift that holds <paramref name="at"/>: an override's, or the rotation's cut short by the overrides around it.</summary>
    public Shift ShiftAt(DateTimeOffset at)
    {
        var instant = Instant.FromDateTimeOffset(at);
        var overrides = OverrideInstants();
        foreach (var (from, to, participant) in overrides)
        {
            if (from <= instant && instant < to)
            {
                return new Shift(participant, from.ToDateTimeOffset(), to.ToDateTimeOffset(), IsOverride: true);
            }
        }

        var k = RotationIndex(instant);
        var (start, end) = (Handoff(k), Handoff(k + 1));
        foreach (var (from, to, _) in overrides)
        {
            if (to > start && to <= instant)
            {
                start = to; // an override ended inside this turn: the rotation takes over again from there
            }

            if (from > instant && from < end)
            {
                end = from; // an override starts later in this turn
            }
        }

        var participants = Rotation.Participants;
        var index = (int)(((k % participants.Count) + participants.Count) % participants.Count);
        return new Shift(participants[index], start.ToDateTimeOffset(), end.ToDateTimeOffset(), IsOverride: false);
    }

    /// <summary>The shifts that overlap [<paramref name="from"/>, <paramref name="to"/>), in order, whole (the first may start before <paramref name="from"/>).</summary>
    public IReadOnlyList<Shift> Shifts(DateTimeOffset from, DateTimeOffset to)
    {
        var shifts = new List<Shift>();
        for (var cursor = from; cursor < to;)
        {
            var shift = ShiftAt(cursor);
            shifts.Add(shift);
            cursor = shift.End; // a shift holds its own start, so End > cursor: always progress
        }

        return shifts;
    }

    /// <summary>The instant of rotation handoff <paramref name="k"/> (0 = <see cref="Rotation.Start"/>, negative before it).</summary>
    public DateTimeOffset HandoffAt(long k) => Handoff(k).ToDateTimeOffset();

    private Instant Handoff(long k) =>
        Zone.ResolveLocal(Rotation.Start.PlusTicks(k * Rotation.Length.BclCompatibleTicks), Resolver).ToInstant();

    /// <summary>The rotation turn holding <paramref name="instant"/>: estimated on the local clock, then corrected around daylight-saving changes.</summary>
    private long RotationIndex(Instant instant)
    {
        var local = instant.InZone(Zone).LocalDateTime;
        var elapsed = LocalTicks(local) - LocalTicks(Rotation.Start);
        var length = Rotation.Length.BclCompatibleTicks;
        var k = elapsed >= 0 ? elapsed / length : -((-elapsed + length - 1) / length);
        while (Handoff(k) > instant)
        {
            k--;
        }

        while (Handoff(k + 1) <= instant)
        {
            k++;
        }

        return k;
    }

    private static long LocalTicks(LocalDateTime local) => local.InUtc().ToInstant().ToUnixTimeTicks();

    private List<(Instant From, Instant To, string Participant)> OverrideInstants() =>
    [
        .. Overrides.Select(o => (
            Zone.ResolveLocal(o.From, Resolver).ToInstant(),
            Zone.ResolveLocal(o.To, Resolver).ToInstant(),
            o.Participant)),
    ];
}
