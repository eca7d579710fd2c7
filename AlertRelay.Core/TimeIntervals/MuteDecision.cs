namespace AlertRelay.Core.TimeIntervals;

/// <summary>
/// What <see cref="TimeMuteStage"/> decided for one route at one instant: send, or muted with the reason and the intervals
/// that decided it (the active <c>mute_time_intervals</c>, or the <c>active_time_intervals</c> none of which is active).
/// </summary>
public readonly record struct MuteDecision(MuteReason Reason, IReadOnlyList<string> Intervals)
{
    /// <summary>Not muted.</summary>
    public static MuteDecision Send { get; } = new(MuteReason.None, []);

    /// <summary>Whether the notification is held back.</summary>
    public bool IsMuted => Reason != MuteReason.None;

    /// <summary>The reason as written on the timeline: the route field that muted it.</summary>
    public string ReasonText => Reason switch
    {
        MuteReason.ActiveTimeIntervals => "active_time_intervals",
        MuteReason.MuteTimeIntervals => "mute_time_intervals",
        _ => "",
    };
}
