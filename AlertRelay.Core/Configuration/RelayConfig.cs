using AlertRelay.Core.Escalation;
using AlertRelay.Core.Inhibition;
using AlertRelay.Core.Routing;

namespace AlertRelay.Core.Configuration;

/// <summary>A loaded and validated AlertRelay configuration: routing tree, receivers, inhibition rules and escalation policies.</summary>
public sealed record RelayConfig(
    Route Route,
    IReadOnlyList<ReceiverConfig> Receivers,
    IReadOnlyList<InhibitRule> InhibitRules,
    IReadOnlyList<EscalationPolicy> Escalations,
    string? SourcePath)
{
    /// <summary>The name of the only receiver in <see cref="Default"/>.</summary>
    public const string DefaultReceiverName = "default";

    /// <summary>The configuration used when there is no config file: every alert routes to a receiver named <c>default</c> that has no integrations; no rules, no escalations.</summary>
    public static RelayConfig Default { get; } = new(
        new Route(DefaultReceiverName, [], false, []),
        [new ReceiverConfig(DefaultReceiverName, [], [], [])],
        [],
        [],
        null);

    /// <summary>The <c>global:</c> section as read (scalars as strings, lists and maps nested), kept for the notifiers; empty when absent.</summary>
    public IReadOnlyDictionary<string, object?> Global { get; init; } = new Dictionary<string, object?>();

    /// <summary>The receiver with this name, or <see langword="null"/>.</summary>
    public ReceiverConfig? FindReceiver(string name) =>
        Receivers.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.Ordinal));
}
