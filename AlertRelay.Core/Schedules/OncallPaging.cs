using AlertRelay.Core.Configuration;
using AlertRelay.Core.Notify;

namespace AlertRelay.Core.Schedules;

/// <summary>
/// Resolves a receiver name at the moment of paging: <c>oncall:&lt;schedule&gt;</c> becomes the schedule receiver's integrations (the
/// channel message mentions the person on call) and that person's own receiver (direct message and email), all carrying the
/// <see cref="OncallPage"/>; any other name is its receiver's integrations, unpaged. Pure.
/// </summary>
public static class OncallPaging
{
    /// <summary>The name of the receiver made for a participant of a schedule: <c>oncall:primary/alice</c>.</summary>
    public static string ParticipantReceiver(string schedule, string participant) => $"{OncallPage.ReceiverPrefix}{schedule}/{participant}";

    /// <summary>The page a participant's own receiver stands for (<c>oncall:primary/alice</c>), or <see langword="null"/> for any other receiver.</summary>
    public static OncallPage? PageOf(string receiver)
    {
        var slash = receiver.LastIndexOf('/');
        return OncallPage.ScheduleOf(receiver) is { } rest && slash > OncallPage.ReceiverPrefix.Length && slash < receiver.Length - 1
            ? new OncallPage(rest[..(slash - OncallPage.ReceiverPrefix.Length)], receiver[(slash + 1)..])
            : null;
    }

    /// <summary>Whether <paramref name="receiver"/> is the paged person's own receiver (their direct message and email), not the channel's.</summary>
    public static bool IsDirect(OncallPage page, string receiver) =>
        string.Equals(receiver, ParticipantReceiver(page.Schedule, page.Participant), StringComparison.Ordinal);

    /// <summary>Everybody a schedule may put on call: its rotation's participants, then its overrides', each once.</summary>
    public static IReadOnlyList<string> ParticipantsOf(OncallSchedule schedule) =>
        [.. schedule.Rotation.Participants.Concat(schedule.Overrides.Select(o => o.Participant)).Distinct(StringComparer.Ordinal)];

    /// <summary>Who <paramref name="receiver"/> reaches at <paramref name="now"/>; an unknown schedule or receiver reaches nobody.</summary>
    public static OncallPagingTargets Resolve(RelayConfig config, string receiver, DateTimeOffset now)
    {
        if (OncallPage.ScheduleOf(receiver) is not { } name)
        {
            return new OncallPagingTargets(null, NotificationTarget.Of(config.FindReceiver(receiver)));
        }

        if (config.FindSchedule(name) is not { } schedule)
        {
            return new OncallPagingTargets(null, []);
        }

        var page = new OncallPage(schedule.Name, schedule.ShiftAt(now).Participant);
        var channel = schedule.Receiver is { } shared ? NotificationTarget.Of(config.FindReceiver(shared)) : [];
        var direct = NotificationTarget.Of(config.FindReceiver(ParticipantReceiver(page.Schedule, page.Participant)));
        return new OncallPagingTargets(page, [.. channel, .. direct]);
    }

    /// <summary>The <c>paged</c> events of some notifications: one per page, naming the integrations that carry it, in order.</summary>
    public static IReadOnlyList<OncallPagingEvent> Events(IEnumerable<(NotificationTarget Target, OncallPage? Page)> notifications, string? step = null) =>
    [
        .. notifications
            .Where(n => n.Page is not null)
            .GroupBy(n => n.Page!)
            .Select(g => new OncallPagingEvent(g.Key.Schedule, g.Key.Participant, [.. g.Select(n => Via(n.Target)).Distinct(StringComparer.Ordinal)], step)),
    ];

    /// <summary>How an event names an integration: <c>oncall-slack/slack[0]</c>, <c>oncall:primary/alice/email[0]</c>.</summary>
    public static string Via(NotificationTarget target) => $"{target.Receiver}/{target.Integration}[{target.Index}]";
}
