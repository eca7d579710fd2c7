using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.Routing;

/// <summary>Finds where an alert goes in the routing tree, exactly as Alertmanager's <c>Route.Match</c> (dispatch/route.go) and <c>amtool config routes test</c> do.</summary>
public static class RoutingStage
{
    /// <summary>
    /// The routes an alert with <paramref name="labels"/> ends at, in tree order: depth-first, left to right; the
    /// first matching child ends the search among its siblings unless it has <see cref="Route.Continue"/>; a matching
    /// node none of whose children match is itself the result. Empty when <paramref name="root"/> does not match
    /// (never for a loaded configuration: the root has no matchers). A missing label matches as the empty string.
    /// </summary>
    public static IReadOnlyList<Route> Match(Route root, LabelSet labels)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(labels);

        var result = new List<Route>();
        Collect(root, labels, result);
        return result;
    }

    /// <summary>
    /// The receivers of <see cref="Match"/>'s routes, in the same order and with duplicates kept, which is what
    /// <c>amtool config routes test</c> prints comma-separated (cli/test_routing.go does not de-duplicate).
    /// </summary>
    public static IReadOnlyList<string> Receivers(Route root, LabelSet labels) =>
        Match(root, labels).Select(r => r.Receiver).ToArray();

    /// <summary>Whether every matcher of <paramref name="route"/> matches <paramref name="labels"/> (Alertmanager's <c>Matchers.Matches</c>).</summary>
    public static bool Matches(Route route, LabelSet labels)
    {
        foreach (var matcher in route.Matchers)
        {
            if (!matcher.Matches(labels.Get(matcher.Name)))
            {
                return false;
            }
        }

        return true;
    }

    // Returns whether the node matched; appends the leaves it resolved to.
    private static bool Collect(Route route, LabelSet labels, List<Route> result)
    {
        if (!Matches(route, labels))
        {
            return false;
        }

        var countBefore = result.Count;
        foreach (var child in route.Routes)
        {
            if (Collect(child, labels, result) && !child.Continue)
            {
                break;
            }
        }

        if (result.Count == countBefore)
        {
            result.Add(route);
        }

        return true;
    }
}
