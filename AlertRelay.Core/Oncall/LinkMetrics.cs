using System.Diagnostics.Metrics;
using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.Oncall;

/// <summary>Metrics of the signed links and the alert page, on the host's <see cref="AlertRelayMeter"/>.</summary>
public sealed class LinkMetrics
{
    /// <summary>Label names of the labelled instruments, in the order /metrics writes them.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> LabelNames { get; } = new Dictionary<string, IReadOnlyList<string>>
    {
        ["alertrelay_link_verification_failures_total"] = ["reason"],
    };

    public LinkMetrics(IMeterFactory meterFactory)
        : this(AlertRelayMeter.From(meterFactory))
    {
    }

    internal LinkMetrics(Meter meter)
    {
        VerificationFailures = meter.CreateCounter<long>(
            "alertrelay_link_verification_failures_total",
            description: "Alert page requests refused, by reason (tampered, expired, malformed, used, rate_limited).");
    }

    /// <summary>Tagged <c>reason</c>.</summary>
    public Counter<long> VerificationFailures { get; }
}
