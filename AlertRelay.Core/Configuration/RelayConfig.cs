using AlertRelay.Core.Escalation;
using AlertRelay.Core.Heartbeats;
using AlertRelay.Core.Inhibition;
using AlertRelay.Core.Routing;
using AlertRelay.Core.Schedules;
using AlertRelay.Core.TimeIntervals;

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

    /// <summary>The named time intervals (<c>time_intervals:</c> and <c>mute_time_intervals:</c>) that routes mute or activate by.</summary>
    public IReadOnlyDictionary<string, TimeInterval> TimeIntervals { get; init; } = new Dictionary<string, TimeInterval>();

    /// <summary>What the file has that AlertRelay accepts without honouring, in line order; empty when it honours everything.</summary>
    public IReadOnlyList<ConfigWarning> Warnings { get; init; } = [];

    /// <summary>Receiver blocks of unsupported kinds skipped (<see cref="ConfigOptions.IgnoreUnsupportedReceivers"/>), counted by kind.</summary>
    public IReadOnlyDictionary<string, int> IgnoredIntegrations { get; init; } = new Dictionary<string, int>();

    /// <summary>The people who can be on call (<c>participants:</c>).</summary>
    public IReadOnlyList<Participant> Participants { get; init; } = [];

    /// <summary>The on-call schedules (<c>oncall_schedules:</c>); routes and steps page one with <c>oncall:&lt;name&gt;</c>.</summary>
    public IReadOnlyList<OncallSchedule> Schedules { get; init; } = [];

    /// <summary>The heartbeats (<c>heartbeats:</c>): alerts that must keep arriving.</summary>
    public IReadOnlyList<Heartbeat> Heartbeats { get; init; } = [];

    /// <summary>
    /// The receivers made from the schedules for their participants (a direct message and an email each, named
    /// <c>oncall:&lt;schedule&gt;/&lt;participant&gt;</c>): not in <see cref="Receivers"/>, found by <see cref="FindReceiver"/>.
    /// </summary>
    public IReadOnlyList<ReceiverConfig> OncallReceivers { get; init; } = [];

    /// <summary>The receiver with this name (configured, or made for a schedule's participant), or <see langword="null"/>.</summary>
    public ReceiverConfig? FindReceiver(string name) =>
        Receivers.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.Ordinal))
        ?? OncallReceivers.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.Ordinal));

    /// <summary>The schedule with this name, or <see langword="null"/>.</summary>
    public OncallSchedule? FindSchedule(string name) => Schedules.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal));

    /// <summary>The participant with this name, or <see langword="null"/>.</summary>
    public Participant? FindParticipant(string name) => Participants.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal));
}
