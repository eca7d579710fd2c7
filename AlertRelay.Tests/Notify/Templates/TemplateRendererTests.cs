using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Notify.Templates;

namespace AlertRelay.Tests.Notify.Templates;

public class TemplateRendererTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 22, 32, 30, 253, TimeSpan.Zero);

    private static NotifiedOccurrence Alert(string instance, AlertStatus status = AlertStatus.Firing)
    {
        var labels = LabelSet.From(("alertname", "HighErrorRate"), ("severity", "critical"), ("instance", instance), ("job", "api"));
        return new NotifiedOccurrence(7, Fingerprint.Of(labels), status, labels,
            LabelSet.From(("summary", "Error rate is 7.5%"), ("runbook_url", "https://runbooks.example.com/high-error-rate")),
            "critical", Start, status == AlertStatus.Resolved ? Start.AddMinutes(5) : null, "http://prometheus:9090/graph");
    }

    private static NotificationMessage Message(NotificationKind kind, params NotifiedOccurrence[] alerts) => new(1, "oncall", kind, alerts, null);

    [Theory]
    [InlineData("[{{ status | upcase }}] {{ alertname }} {{ severity }}", "[FIRING] HighErrorRate critical")]
    [InlineData("{{ labels.instance }}: {{ annotations.summary }}", "api-1: Error rate is 7.5%")]
    [InlineData("{{ firing_count }} firing for {{ receiver }}", "1 firing for oncall")]
    [InlineData("{% for a in alerts %}{{ a.labels.instance }} since {{ a.starts_at }};{% endfor %}", "api-1 since 2026-11-24T22:32:30.253Z;")]
    [InlineData("{{ labels.missing }}|", "|")]
    public void Render_FillsTheModel(string template, string expected)
    {
        Assert.Equal(expected, TemplateRenderer.Render(template, Message(NotificationKind.Firing, Alert("api-1"))));
    }

    [Fact]
    public void Render_GivesResolvedStatus_AndOnlyTheLabelsAllAlertsShare()
    {
        var message = Message(NotificationKind.Resolved, Alert("api-1", AlertStatus.Resolved), Alert("api-2", AlertStatus.Resolved));

        var text = TemplateRenderer.Render("{{ status }} {{ common_labels.job }} [{{ common_labels.instance }}] {{ resolved_count }}", message);

        Assert.Equal("resolved api [] 2", text);
    }

    [Theory]
    [InlineData("[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }}", "Alertmanager (Go) template")]
    [InlineData("{% for a in alerts %}{{ a.labels.instance }}", "invalid Liquid template")]
    [InlineData("{{ status | }}", "invalid Liquid template")]
    public void TryParse_Rejects_WithAMessage(string template, string expectedMessage)
    {
        Assert.False(TemplateRenderer.TryParse(template, out var error));
        Assert.Contains(expectedMessage, error);
    }

    [Fact]
    public void ConfigLoader_ReportsABrokenTemplateWithItsLine_InsteadOfFailingAtSendTime()
    {
        const string yaml = """
            route:
              receiver: oncall
            receivers:
              - name: oncall
                slack_configs:
                  - channel: '#oncall'
                    api_url: https://hooks.slack.com/services/T/B/X
                    title: '[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }}'
                email_configs:
                  - to: ops@example.com
                    headers:
                      Subject: '{% if status %}unclosed'
            """;

        var error = Assert.Throws<ConfigException>(() => RelayConfigLoader.LoadFromYaml(yaml, "alertrelay.yml"));

        Assert.Contains(error.Errors, e => e.Line == 8 && e.Path == "receivers[0].slack_configs[0].title" && e.Message.Contains("Go"));
        Assert.Contains(error.Errors, e => e.Line == 12 && e.Path.EndsWith("headers.Subject", StringComparison.Ordinal));
    }
}
