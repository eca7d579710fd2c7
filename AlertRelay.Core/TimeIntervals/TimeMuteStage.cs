using AlertRelay.Core.Routing;

namespace AlertRelay.Core.TimeIntervals;

/// <summary>
/// Decides whether a route's firing notification is sent now, as Alertmanager's <c>TimeActiveStage</c> then
/// <c>TimeMuteStage</c> (notify/notify.go) do for the route's aggregation group: a route with
/// <c>active_time_intervals</c> sends only while one of them is active; a route sends nothing while one of its
/// <c>mute_time_intervals</c> is active. Intervals are per node, never inherited.
/// </summary>
public static class TimeMuteStage
{
    /// <summary>The decision for <paramref name="route"/> at <paramref name="now"/>.</summary>
    public static MuteDecision Decide(Route route, IReadOnlyDictionary<string, TimeInterval> intervals, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(intervals);

        // Alertmanager runs the active stage first: outside every active interval, mute intervals are not looked at.
        if (route.ActiveTimeIntervals.Count > 0 && Active(route.ActiveTimeIntervals, intervals, now) is null)
        {
            return new MuteDecision(MuteReason.ActiveTimeIntervals, route.ActiveTimeIntervals);
        }

        return route.MuteTimeIntervals.Count > 0 && Active(route.MuteTimeIntervals, intervals, now) is { } muting
            ? new MuteDecision(MuteReason.MuteTimeIntervals, muting)
            : MuteDecision.Send;
    }

    /// <summary>
    /// The receivers of the matched <paramref name="routes"/> (<see cref="RoutingStage.Match"/>) split into sent and muted:
    /// a receiver that two routes chose is sent when either route is not muted (each Alertmanager route notifies on its own).
    /// </summary>
    public static ReceiverSelection Select(IReadOnlyList<Route> routes, IReadOnlyDictionary<string, TimeInterval> intervals, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var order = new List<string>(routes.Count);
        var decisions = new Dictionary<string, MuteDecision>(StringComparer.Ordinal);
        foreach (var route in routes)
        {
            if (!decisions.TryGetValue(route.Receiver, out var previous))
            {
                order.Add(route.Receiver);
                decisions[route.Receiver] = Decide(route, intervals, now);
            }
            else if (previous.IsMuted)
            {
                var decision = Decide(route, intervals, now);
                decisions[route.Receiver] = decision.IsMuted ? previous : decision; // keeps the first route's reason
            }
        }

        var send = order.Where(r => !decisions[r].IsMuted).ToArray();
        var muted = order.Where(r => decisions[r].IsMuted).Select(r => new MutedReceiver(r, decisions[r])).ToArray();
        return new ReceiverSelection(send, muted);
    }

    /// <summary>The names among <paramref name="names"/> active at <paramref name="now"/>, or null when none is.</summary>
    private static List<string>? Active(IReadOnlyList<string> names, IReadOnlyDictionary<string, TimeInterval> intervals, DateTimeOffset now)
    {
        List<string>? active = null;
        foreach (var name in names)
        {
            // The loader refuses undefined names; an unknown one here (a hand-built Route) is never active.
            if (intervals.TryGetValue(name, out var interval) && interval.ContainsTime(now))
            {
                (active ??= []).Add(name);
            }
        }

        return active;
    }
}
