using System.Text.Json.Nodes;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Notify.Slack;
using static AlertRelay.Tests.Notify.Slack.SlackTestAlerts;

namespace AlertRelay.Tests.Notify.Slack;

public class SlackMessageBuilderTests
{
    public static TheoryData<string, NotifiedOccurrence, NotificationKind, string, string> Tones => new()
    {
        { "critical", Alert(severity: "critical"), NotificationKind.Firing, "#E01E5A", ":red_circle:" },
        { "warning", Alert(severity: "warning"), NotificationKind.Firing, "#ECB22E", ":large_orange_circle:" },
        { "info", Alert(severity: "info"), NotificationKind.Firing, "#36C5F0", ":large_blue_circle:" },
        { "unknown severity counts as a warning", Alert(severity: "sev-x"), NotificationKind.Firing, "#ECB22E", ":large_orange_circle:" },
        { "resolved critical", Alert(severity: "critical", status: AlertStatus.Resolved), NotificationKind.Resolved, "#2EB67D", ":large_green_circle:" },
        { "escalated warning", Alert(severity: "warning"), NotificationKind.Escalation, "#ECB22E", ":large_orange_circle:" },
    };

    [Theory]
    [MemberData(nameof(Tones))]
    public void Build_ColoursAndMarksBySeverity(string name, NotifiedOccurrence alert, NotificationKind kind, string color, string emoji)
    {
        var message = SlackMessageBuilder.Build(Message(kind, alert));

        Assert.True(color == message.Attachments![0]!["color"]!.GetValue<string>(), name);
        Assert.StartsWith(emoji + " ", HeaderText(message));
    }

    [Fact]
    public void Build_ShowsSummaryDescriptionAndTimes_WhenFiring()
    {
        var message = SlackMessageBuilder.Build(Firing());

        var text = AllText(message);
        Assert.Contains("*Error rate is 7.5%*", text);
        Assert.Contains("5xx responses above 5% for 5 minutes.", text);
        Assert.Contains($"<!date^{Start.ToUnixTimeSeconds()}^", text);
        Assert.Contains("|2026-11-24 22:32:30 UTC>", text);
        Assert.Equal("[FIRING:1] HighErrorRate critical: Error rate is 7.5%", message.Text);
    }

    [Fact]
    public void Build_ShowsKeyLabelsFirst_WithoutTheNoisyOnes()
    {
        var alert = Alert(labels: [("prometheus", "monitoring/k8s"), ("replica", "a"), ("service", "checkout"), ("route", "/api/orders"), ("zone", "eu-1")]);

        var fields = FieldTexts(SlackMessageBuilder.Build(Message(NotificationKind.Firing, alert)));

        Assert.Equal(
            ["*instance*\nweb-1:8080", "*job*\nshop", "*service*\ncheckout", "*route*\n/api/orders", "*zone*\neu-1"],
            fields);
    }

    [Fact]
    public void Build_LinksSourceRunbookAndDashboard_WhenTheAlertCarriesThem()
    {
        var alert = Alert(annotations: [("summary", "s"), ("runbook_url", "https://runbooks.example/high-error-rate"), ("dashboard", "https://grafana.example/d/abc")]);

        var buttons = Buttons(SlackMessageBuilder.Build(Message(NotificationKind.Firing, alert)));

        Assert.Equal(
            [("Source", GeneratorUrl), ("Runbook", "https://runbooks.example/high-error-rate"), ("Dashboard", "https://grafana.example/d/abc")],
            buttons);
    }

    [Fact]
    public void Build_LinksDashboardUrl_WhenTheAnnotationIsDashboardUrl()
    {
        var alert = Alert(annotations: [("dashboard_url", "https://grafana.example/d/xyz")], generatorUrl: "");

        Assert.Equal([("Dashboard", "https://grafana.example/d/xyz")], Buttons(SlackMessageBuilder.Build(Message(NotificationKind.Firing, alert))));
    }

    [Fact]
    public void Build_LeavesOutLinksSlackWouldReject_WhenUrlsAreNotAbsoluteHttp()
    {
        var alert = Alert(annotations: [("runbook_url", "wiki/HighErrorRate"), ("dashboard", "javascript:alert(1)")], generatorUrl: "");

        var message = SlackMessageBuilder.Build(Message(NotificationKind.Firing, alert));

        Assert.Empty(Buttons(message));
        Assert.DoesNotContain(AllBlocks(message), b => b["type"]!.GetValue<string>() == "actions");
    }

    [Fact]
    public void Build_MarksEscalation_WhenTheStepNotifies()
    {
        var message = SlackMessageBuilder.Build(Message(NotificationKind.Escalation, Alert()) with { EscalationStep = "critical-ladder step 2" });

        Assert.Contains(":rotating_light: *Escalated: critical-ladder step 2, still unacknowledged*", AllText(message));
        Assert.StartsWith("Escalated: critical-ladder step 2, still unacknowledged: [FIRING:1] HighErrorRate critical", message.Text);
    }

    [Fact]
    public void Build_ShowsResolvedLayout_WhenResolved()
    {
        var message = SlackMessageBuilder.Build(Resolved());

        Assert.Equal(":large_green_circle: [RESOLVED] HighErrorRate critical", HeaderText(message));
        Assert.Contains("(lasted 12m)", AllText(message));
        Assert.StartsWith("[RESOLVED]", message.Text);
    }

    [Fact]
    public void Build_ListsUpToTheLimitAndCountsTheRest_WhenDigest()
    {
        var message = SlackMessageBuilder.Build(Message(NotificationKind.Digest, Many(40)), maxListed: 25);

        var text = AllText(message);
        var listed = Many(40).Count(a => text.Contains($"*{a.Alertname}*", StringComparison.Ordinal));
        Assert.Equal(25, listed);
        Assert.Contains("…and 15 more", text);
        Assert.Contains("Summary of alert 0", text);
        Assert.Contains("web-0:8080", text);
        Assert.Contains("`critical`", text);
        Assert.Contains("receiver *oncall* · 40 firing, 0 resolved", text);
    }

    [Fact]
    public void Build_ListsCriticalFirst_WhenDigest()
    {
        var message = SlackMessageBuilder.Build(Message(NotificationKind.Digest, Alert("Info", "info"), Alert("Crit", "critical"), Alert("Gone", status: AlertStatus.Resolved)));

        var list = SectionTexts(message)[0];
        Assert.True(list.IndexOf("*Crit*", StringComparison.Ordinal) < list.IndexOf("*Info*", StringComparison.Ordinal), list);
        Assert.True(list.IndexOf("*Info*", StringComparison.Ordinal) < list.IndexOf("*Gone*", StringComparison.Ordinal), list);
        Assert.Contains("_(resolved)_", list);
    }

    [Fact]
    public void Build_StaysWithinSlackLimits_WhenEverythingIsHuge()
    {
        var huge = new string('é', 5000);
        var alerts = Enumerable.Range(0, 3).Select(i => Alert(
            name: new string('A', 300) + i,
            labels: [.. Enumerable.Range(0, 20).Select(l => ($"label{l:D2}", huge))],
            annotations: [("summary", huge), ("description", huge + "<&>"), ("runbook_url", "https://example.com/" + new string('r', 4000))],
            id: i)).ToArray();

        foreach (var message in new[]
                 {
                     SlackMessageBuilder.Build(Message(NotificationKind.Firing, alerts) with { EscalationStep = huge }),
                     SlackMessageBuilder.Build(Message(NotificationKind.Escalation, alerts) with { EscalationStep = huge }),
                     SlackMessageBuilder.Build(Message(NotificationKind.Digest, [.. alerts, .. Many(500)]), maxListed: 500),
                 })
        {
            AssertWithinLimits(message);
        }
    }

    [Fact]
    public void Build_SplitsLongListsIntoSections_WhenTheyExceed3000Characters()
    {
        var message = SlackMessageBuilder.Build(Message(NotificationKind.Digest, Many(200)), maxListed: 200);

        AssertWithinLimits(message);
        Assert.True(SectionTexts(message).Count > 1);
        Assert.Contains("*Alert199*", AllText(message));
    }

    [Fact]
    public void Build_TruncatesAtTheBlockLimit_WhenATemplateRendersEndlessText()
    {
        var config = new SlackConfig { Channel = "#alerts", Text = "{% for i in (1..40000) %}line {{ i }} of a very long template output\n{% endfor %}" };

        var message = SlackMessageBuilder.Build(Firing(), config);

        AssertWithinLimits(message);
        Assert.Contains("…text truncated", AllText(message));
    }

    [Fact]
    public void Build_EscapesMrkdwn_WhenLabelsAndAnnotationsHaveControlCharacters()
    {
        var alert = Alert(labels: [("path", "<!channel> & co")], annotations: [("summary", "latency > 5s & <rising>")]);

        var message = SlackMessageBuilder.Build(Message(NotificationKind.Firing, alert));

        var text = AllText(message);
        Assert.Contains("&lt;!channel&gt; &amp; co", text);
        Assert.Contains("latency &gt; 5s &amp; &lt;rising&gt;", text);
        Assert.DoesNotContain("<!channel>", text);
    }

    [Fact]
    public void Build_UsesTheTemplates_WhenTitleAndTextAreSet()
    {
        var config = new SlackConfig
        {
            Channel = "#alerts",
            Title = "{{ alertname }} on {{ labels.instance }}",
            Text = "*{{ annotations.summary }}* ({{ status }})",
        };

        var message = SlackMessageBuilder.Build(Firing(), config);

        Assert.Equal(":red_circle: HighErrorRate on web-1:8080", HeaderText(message));
        Assert.Equal("*Error rate is 7.5%* (firing)", SectionTexts(message)[0]);
        Assert.Equal("#alerts", message.Channel);
        Assert.StartsWith("HighErrorRate on web-1:8080", message.Text);
        Assert.Equal([("Source", GeneratorUrl)], Buttons(message)); // a single alert keeps its links
    }

    [Fact]
    public void Build_KeepsTheBuiltInTitle_WhenTheTemplateRendersNothing()
    {
        var message = SlackMessageBuilder.Build(Firing(), new SlackConfig { Channel = "#a", Title = "{{ labels.missing }}" });

        Assert.Equal(":red_circle: [FIRING:1] HighErrorRate critical", HeaderText(message));
    }

    [Fact]
    public void BuildResolvedReply_SaysWhenAndAfterHowLong()
    {
        var reply = SlackMessageBuilder.BuildResolvedReply(Resolved());

        Assert.Contains("*Resolved*: HighErrorRate critical at <!date^", reply.Text);
        Assert.EndsWith("after 12m", reply.Text);
    }

    [Theory]
    [InlineData("abcdef", 4, "abc…")]
    [InlineData("ab&amp;cdef", 6, "ab…")]
    [InlineData("a😀b", 3, "a…")]
    [InlineData("x <!date^1^{time}|t> y", 10, "x…")]
    [InlineData("short", 10, "short")]
    public void Truncate_NeverSplitsEntitiesSurrogatesOrTokens(string text, int max, string expected)
    {
        Assert.Equal(expected, SlackText.Truncate(text, max));
    }

    private static void AssertWithinLimits(SlackMessage message)
    {
        Assert.True(message.BlockCount <= 50, $"{message.BlockCount} blocks");
        Assert.True(message.Text.Length <= 3000, $"fallback text {message.Text.Length}");
        foreach (var block in AllBlocks(message))
        {
            switch (block["type"]!.GetValue<string>())
            {
                case "header":
                    Assert.InRange(block["text"]!["text"]!.GetValue<string>().Length, 1, 150);
                    break;
                case "section":
                    if (block["text"] is { } text)
                    {
                        Assert.InRange(text["text"]!.GetValue<string>().Length, 1, 3000);
                    }

                    foreach (var field in block["fields"]?.AsArray() ?? [])
                    {
                        Assert.InRange(field!["text"]!.GetValue<string>().Length, 1, 2000);
                    }

                    Assert.InRange(block["fields"]?.AsArray().Count ?? 0, 0, 10);
                    break;
                case "context":
                    Assert.InRange(block["elements"]!.AsArray().Count, 1, 10);
                    break;
                case "actions":
                    foreach (var button in block["elements"]!.AsArray())
                    {
                        Assert.True(button!["url"]!.GetValue<string>().Length <= 3000);
                    }

                    break;
            }
        }
    }

    private static string HeaderText(SlackMessage message) => message.Blocks![0]!["text"]!["text"]!.GetValue<string>();

    private static List<JsonNode> AllBlocks(SlackMessage message) =>
        [.. (message.Blocks ?? []).Concat(message.Attachments?.SelectMany(a => a!["blocks"]!.AsArray()) ?? []).OfType<JsonNode>()];

    private static List<string> SectionTexts(SlackMessage message) =>
        [.. message.Attachments![0]!["blocks"]!.AsArray().Where(b => b!["type"]!.GetValue<string>() == "section" && b["text"] is not null)
            .Select(b => b!["text"]!["text"]!.GetValue<string>())];

    private static List<string> FieldTexts(SlackMessage message) =>
        [.. AllBlocks(message).Where(b => b["fields"] is not null).SelectMany(b => b["fields"]!.AsArray()).Select(f => f!["text"]!.GetValue<string>())];

    private static List<(string, string)> Buttons(SlackMessage message) =>
        [.. AllBlocks(message).Where(b => b["type"]!.GetValue<string>() == "actions").SelectMany(b => b["elements"]!.AsArray())
            .Select(e => (e!["text"]!["text"]!.GetValue<string>(), e["url"]!.GetValue<string>()))];

    private static string AllText(SlackMessage message) =>
        string.Join("\n", AllBlocks(message).SelectMany(Texts).Prepend(message.Text));

    private static IEnumerable<string> Texts(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => p.Key == "text" && p.Value is JsonValue v ? [v.GetValue<string>()] : Texts(p.Value)),
        JsonArray array => array.SelectMany(Texts),
        _ => [],
    };
}
