using Prometheus;

namespace AlertRelay.Core.Escalation;

/// <summary>Prometheus metrics of the escalation scheduler.</summary>
public static class EscalationMetrics
{
    public static readonly Counter StepsRun = Metrics.CreateCounter(
        "alertrelay_escalation_steps_total", "Escalation steps run, by policy.", "policy");
}
