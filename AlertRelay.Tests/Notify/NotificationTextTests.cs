using AlertRelay.Core.Alerts;
using AlertRelay.Core.Notify;
using static AlertRelay.Tests.Notify.Slack.SlackTestAlerts;

namespace AlertRelay.Tests.Notify;

/// <summary>The words Slack and e-mail share: status tags, title, topic, links and durations, one case per row.</summary>
public sealed class NotificationTextTests
{
    private static readonly NotifiedOccurrence Nameless = Alert(name: "", severity: "");

    private static readonly NotifiedOccurrence EveryLink = Alert(annotations:
    [
        ("summary", "s"), ("runbook_url", "https://runbooks.example/a"), ("runbook", " https://wiki.example/a "),
        ("dashboard_url", "https://grafana.example/d/1"), ("dashboard", "javascript:alert(1)"),
    ]);

    public static TheoryData<string, NotificationMessage, Expected> Cases => new()
    {
        { "one firing", Firing(), new("[FIRING:1] HighErrorRate critical", "[FIRING:1]", "HighErrorRate critical", $"Source {GeneratorUrl}", null) },
        { "one resolved", Resolved(), new("[RESOLVED] HighErrorRate critical", "[RESOLVED]", "HighErrorRate critical", $"Source {GeneratorUrl}", "12m") },
        {
            "two of a kind",
            Message(NotificationKind.Firing, Alert(id: 1, labels: [("instance", "a")]), Alert(id: 2, labels: [("instance", "b")])),
            new("[FIRING:2] HighErrorRate critical (2 alerts)", "[FIRING:2]", "2 alerts for receiver oncall", $"Source {GeneratorUrl}", null)
        },
        {
            "different alerts",
            Message(NotificationKind.Digest, Alert("A"), Alert("B", "warning")),
            new("[FIRING:2] 2 alerts for receiver oncall", "[FIRING:2]", "2 alerts for receiver oncall", $"Source {GeneratorUrl}", null)
        },
        {
            "mixed severities",
            Message(NotificationKind.Firing, Alert(severity: "critical"), Alert(severity: "warning")),
            new("[FIRING:2] HighErrorRate (2 alerts)", "[FIRING:2]", "2 alerts for receiver oncall", $"Source {GeneratorUrl}", null)
        },
        {
            "digest with resolved ones",
            Message(NotificationKind.Digest, Alert("A"), Alert("B", status: AlertStatus.Resolved)),
            new("[FIRING:1, RESOLVED:1] 2 alerts for receiver oncall", "[FIRING:1, RESOLVED:1]", "2 alerts for receiver oncall", $"Source {GeneratorUrl}", null)
        },
        {
            "digest of one",
            Message(NotificationKind.Digest, Alert()),
            new("[FIRING:1] HighErrorRate critical", "[FIRING:1]", "1 alert for receiver oncall", $"Source {GeneratorUrl}", null)
        },
        {
            "no severity label",
            Message(NotificationKind.Firing, Alert(severity: "")),
            new("[FIRING:1] HighErrorRate", "[FIRING:1]", "HighErrorRate", $"Source {GeneratorUrl}", null)
        },
        {
            "no alertname either",
            Message(NotificationKind.Firing, Nameless),
            new($"[FIRING:1] alert {Nameless.Fingerprint}", "[FIRING:1]", $"alert {Nameless.Fingerprint}", $"Source {GeneratorUrl}", null)
        },
        {
            "escalated, severity raised",
            Message(NotificationKind.Escalation, Alert(severity: "warning") with { Severity = "critical" }),
            new("[FIRING:1] HighErrorRate critical", "[ESCALATED]", "HighErrorRate warning", $"Source {GeneratorUrl}", null)
        },
        {
            "every link annotation",
            Message(NotificationKind.Firing, EveryLink),
            new(
                "[FIRING:1] HighErrorRate critical", "[FIRING:1]", "HighErrorRate critical",
                $"Source {GeneratorUrl}, Runbook https://runbooks.example/a, Runbook https://wiki.example/a, Dashboard https://grafana.example/d/1, Dashboard javascript:alert(1)",
                null)
        },
        {
            "one URL in two annotations, a blank one, no generatorURL",
            Message(NotificationKind.Firing, Alert(annotations: [("runbook_url", "https://r.example"), ("runbook", "https://r.example"), ("dashboard", " ")], generatorUrl: "")),
            new("[FIRING:1] HighErrorRate critical", "[FIRING:1]", "HighErrorRate critical", "Runbook https://r.example", null)
        },
        { "lasted 45 seconds", Message(NotificationKind.Resolved, Lasting(TimeSpan.FromSeconds(45.9))), Resolve("45s") },
        { "lasted an hour and 5 minutes", Message(NotificationKind.Resolved, Lasting(TimeSpan.FromMinutes(65))), Resolve("1h5m") },
        { "lasted a day, 2 hours and a minute", Message(NotificationKind.Resolved, Lasting(TimeSpan.FromSeconds((26 * 3600) + 60))), Resolve("1d2h1m") },
        { "lasted no time", Message(NotificationKind.Resolved, Lasting(TimeSpan.Zero)), Resolve("0s") },
        { "ended before it started", Message(NotificationKind.Resolved, Lasting(TimeSpan.FromMinutes(-1))), Resolve(null) },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void NotificationText_SaysWhatTheMessageIs_ForEachShape(string name, NotificationMessage message, Expected expected)
    {
        var actual = new Expected(
            NotificationText.Title(message),
            NotificationText.SubjectTag(message),
            NotificationText.Topic(message),
            string.Join(", ", NotificationText.Links(message.Alerts[0]).Select(l => $"{l.Title} {l.Url}")),
            NotificationText.Lasted(message.Alerts[0]));

        Assert.True(expected == actual, $"{name}:\n expected {expected}\n actual   {actual}");
    }

    private static NotifiedOccurrence Lasting(TimeSpan span) => Alert(status: AlertStatus.Resolved) with { EndsAt = Start + span };

    private static Expected Resolve(string? lasted) =>
        new("[RESOLVED] HighErrorRate critical", "[RESOLVED]", "HighErrorRate critical", $"Source {GeneratorUrl}", lasted);

    /// <summary>What a message reads as: its title (Slack), the tag of its subject and its topic (e-mail), its first alert's links and duration.</summary>
    public sealed record Expected(string Title, string SubjectTag, string Topic, string Links, string? Lasted);
}
