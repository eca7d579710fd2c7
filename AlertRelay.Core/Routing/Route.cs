using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.Routing;

/// <summary>
/// A node of the routing tree, Alertmanager semantics (dispatch/route.go): a node matches when all its
/// matchers match; children are tried in order; the first matching child wins unless it has
/// <see cref="Continue"/>; a node whose children do not match routes to its own receiver.
/// Receivers and matchers are inherited as Alertmanager's config loader does (a child without a
/// receiver uses its parent's).
/// </summary>
public sealed record Route(string Receiver, IReadOnlyList<Matcher> Matchers, bool Continue, IReadOnlyList<Route> Routes)
{
    /// <summary>Where the route was declared, e.g. "route.routes[1]" (for events and validation messages).</summary>
    public string Path { get; init; } = "route";

    // The grouping and timing options below are accepted so that an Alertmanager route block can be pasted as is.
    // AlertRelay does not use them (Alertmanager groups before it sends to us); they hold the effective values,
    // inherited from the parent and defaulted at the root exactly as dispatch.NewRoute does.

    /// <summary><c>group_by</c> (inherited): label names, or <c>["..."]</c> for all labels. Not used by AlertRelay.</summary>
    public IReadOnlyList<string> GroupBy { get; init; } = [];

    /// <summary><c>group_wait</c> (inherited; Alertmanager's default 30s). Not used by AlertRelay.</summary>
    public TimeSpan GroupWait { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary><c>group_interval</c> (inherited; Alertmanager's default 5m). Not used by AlertRelay.</summary>
    public TimeSpan GroupInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary><c>repeat_interval</c> (inherited; Alertmanager's default 4h). Not used by AlertRelay.</summary>
    public TimeSpan RepeatInterval { get; init; } = TimeSpan.FromHours(4);

    /// <summary><c>mute_time_intervals</c> of this node only (not inherited, as in Alertmanager): no firing notification while one is active.</summary>
    public IReadOnlyList<string> MuteTimeIntervals { get; init; } = [];

    /// <summary><c>active_time_intervals</c> of this node only (not inherited, as in Alertmanager): firing notifications only while one is active.</summary>
    public IReadOnlyList<string> ActiveTimeIntervals { get; init; } = [];
}
