using System.Diagnostics.Metrics;
using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.Escalation;

/// <summary>Metrics of the escalation scheduler, on the host's <see cref="AlertRelayMeter"/>.</summary>
public sealed class EscalationMetrics
{
    /// <summary>Label names of the labelled instruments, in the order /metrics writes them.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> LabelNames { get; } = new Dictionary<string, IReadOnlyList<string>>
    {
        ["alertrelay_escalation_steps_total"] = ["policy"],
        ["alertrelay_reminders_total"] = ["policy"],
    };

    public EscalationMetrics(IMeterFactory meterFactory)
        : this(AlertRelayMeter.From(meterFactory))
    {
    }

    internal EscalationMetrics(Meter meter)
    {
        StepsRun = meter.CreateCounter<long>("alertrelay_escalation_steps_total", description: "Escalation steps run, by policy.");
        RemindersQueued = meter.CreateCounter<long>(
            "alertrelay_reminders_total", description: "Reminders queued (one per occurrence and reminder, whatever its number of targets), by policy.");
    }

    /// <summary>Tagged <c>policy</c>.</summary>
    public Counter<long> StepsRun { get; }

    /// <summary>Tagged <c>policy</c>; counted when the pass that queued them commits.</summary>
    public Counter<long> RemindersQueued { get; }
}
