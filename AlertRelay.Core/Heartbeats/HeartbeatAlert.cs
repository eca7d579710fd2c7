using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Ingest;
using MatchType = AlertRelay.Core.Alerts.MatchType;

namespace AlertRelay.Core.Heartbeats;

/// <summary>AlertRelay's own <c>HeartbeatMissing</c> alert for a heartbeat: its labels, annotations and where it says it comes from.</summary>
public static class HeartbeatAlert
{
    public const string AlertName = "HeartbeatMissing";

    public const string HeartbeatLabel = "heartbeat";

    public const string RunbookUrl = "https://github.com/alertrelay/alertrelay/blob/main/docs/runbooks/alertrelay/HeartbeatMissing.md";

    /// <summary>The Alertmanager receiver its occurrences are stored under (they never came through one).</summary>
    public const string Receiver = "alertrelay";

    /// <summary>The matchers that pick a heartbeat's alert out (its route in <see cref="RelayConfig.Route"/>).</summary>
    public static IReadOnlyList<Matcher> Matchers(string heartbeat) =>
        [Matcher.Create("alertname", MatchType.Equal, AlertName), Matcher.Create(HeartbeatLabel, MatchType.Equal, heartbeat)];

    public static LabelSet Labels(string heartbeat) =>
        LabelSet.From(("alertname", AlertName), (HeartbeatLabel, heartbeat), ("severity", "critical"));

    /// <summary>Where the occurrence says it came from: receiver "alertrelay", group "heartbeat:&lt;name&gt;".</summary>
    public static AlertContext Context(string heartbeat) => new(Receiver, "heartbeat:" + heartbeat, "");

    /// <summary>The firing alert, starting at <paramref name="nowMs"/>; the summary names the last time it was seen.</summary>
    public static Alert Missing(Heartbeat heartbeat, HeartbeatState state, long nowMs, long watchingSinceMs)
    {
        var labels = Labels(heartbeat.Name);
        var lastSeen = state.LastSeenMs is { } seen ? $"last seen {Format(seen)}" : $"never seen since {Format(watchingSinceMs)}";
        var annotations = LabelSet.From(
            ("summary", $"Heartbeat {heartbeat.Name} is missing: {lastSeen}"),
            ("description",
                $"No firing alert matching {{{string.Join(", ", heartbeat.Matchers)}}} reached AlertRelay within its timeout of " +
                $"{PrometheusDuration.Format(heartbeat.Timeout)}: the alerting path from its source (Prometheus, Alertmanager) to AlertRelay may be broken."),
            ("runbook_url", RunbookUrl));
        return new Alert(Fingerprint.Of(labels), AlertStatus.Firing, labels, annotations, UnixMillis.ToDateTimeOffset(nowMs), null, "");
    }

    /// <summary>The same alert resolved at <paramref name="nowMs"/>, with the annotations it was stored with (so that nothing else changes).</summary>
    public static Alert Resolved(string heartbeat, LabelSet annotations, long startsAtMs, long nowMs)
    {
        var labels = Labels(heartbeat);
        return new Alert(Fingerprint.Of(labels), AlertStatus.Resolved, labels, annotations,
            UnixMillis.ToDateTimeOffset(startsAtMs), UnixMillis.ToDateTimeOffset(nowMs), "");
    }

    private static string Format(long ms) => Rfc3339.Format(UnixMillis.ToDateTimeOffset(ms));
}
