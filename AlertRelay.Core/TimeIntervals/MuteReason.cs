namespace AlertRelay.Core.TimeIntervals;

/// <summary>Why a route's notification is held back by time (the <c>reason</c> of a <c>muted</c> event).</summary>
public enum MuteReason
{
    /// <summary>Not muted: send.</summary>
    None,

    /// <summary>The route has <c>active_time_intervals</c> and none of them is active.</summary>
    ActiveTimeIntervals,

    /// <summary>One of the route's <c>mute_time_intervals</c> is active.</summary>
    MuteTimeIntervals,
}
