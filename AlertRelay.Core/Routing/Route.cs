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
}
