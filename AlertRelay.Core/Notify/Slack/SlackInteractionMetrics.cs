using System.Diagnostics.Metrics;
using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.Notify.Slack;

/// <summary>Metrics of <c>POST /slack/interactions</c> on the host's <see cref="AlertRelayMeter"/>.</summary>
public sealed class SlackInteractionMetrics
{
    /// <summary>Label names of the labelled instruments, in the order /metrics writes them.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> LabelNames { get; } = new Dictionary<string, IReadOnlyList<string>>
    {
        ["alertrelay_slack_verification_failures_total"] = ["reason"],
    };

    public SlackInteractionMetrics(IMeterFactory meterFactory)
    {
        VerificationFailures = AlertRelayMeter.From(meterFactory).CreateCounter<long>(
            "alertrelay_slack_verification_failures_total",
            description: "Requests to POST /slack/interactions refused because their Slack signature did not verify, by reason (missing, stale, bad_signature).");
    }

    /// <summary>Tagged <c>reason</c>.</summary>
    public Counter<long> VerificationFailures { get; }
}
