using System.Text.Json;
using AlertRelay.Core.History;

namespace AlertRelay.Core.Routing;

/// <summary>The receivers a new occurrence is routed to (each once, in tree order), with the JSON stored for them (column and routed event).</summary>
public sealed record RoutedReceivers(IReadOnlyList<string> Names, string Json, string RoutedEventJson)
{
    /// <summary>
    /// The receivers the routing tree chooses for <paramref name="labels"/>. The alerts of a message usually share their
    /// receivers: when they equal <paramref name="previous"/>'s, that one is returned and its JSON forms are not made again.
    /// </summary>
    public static RoutedReceivers Route(Route root, Alerts.LabelSet labels, RoutedReceivers? previous)
    {
        var names = RoutingStage.Receivers(root, labels).Distinct(StringComparer.Ordinal).ToList();
        return previous is not null && previous.Names.SequenceEqual(names, StringComparer.Ordinal)
            ? previous
            : new RoutedReceivers(names, JsonSerializer.Serialize(names, HistoryJson.Options),
                JsonSerializer.Serialize(new { receivers = names }, HistoryJson.Options));
    }
}
