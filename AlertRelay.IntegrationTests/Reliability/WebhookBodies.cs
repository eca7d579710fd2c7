using System.Globalization;
using System.Text.Json.Nodes;

namespace AlertRelay.IntegrationTests.Reliability;

/// <summary>Alertmanager webhook bodies (payload version 4) for <see cref="TestAlert"/>s, firing or resolved, one group per body.</summary>
public static class WebhookBodies
{
    /// <summary>The label that routes an alert to the <c>oncall</c> receiver (Slack and/or email) in the tests' configurations.</summary>
    public const string NotifyLabel = "notify";

    public static string Firing(IReadOnlyList<TestAlert> alerts) => Body(alerts, endsAt: null);

    public static string Resolved(IReadOnlyList<TestAlert> alerts, DateTimeOffset endsAt) => Body(alerts, endsAt);

    private static string Body(IReadOnlyList<TestAlert> alerts, DateTimeOffset? endsAt)
    {
        var status = endsAt is null ? "firing" : "resolved";
        var array = new JsonArray();
        foreach (var alert in alerts)
        {
            var labels = new JsonObject { ["alertname"] = alert.Name, ["instance"] = "relay-test:9100", ["severity"] = "critical" };
            if (alert.Notify)
            {
                labels[NotifyLabel] = "yes";
            }

            array.Add(new JsonObject
            {
                ["status"] = status,
                ["labels"] = labels,
                ["annotations"] = new JsonObject { ["summary"] = $"{alert.Name} is failing" },
                ["startsAt"] = Time(alert.StartsAt),
                ["endsAt"] = endsAt is { } ends ? Time(ends) : "0001-01-01T00:00:00Z",
                ["generatorURL"] = "",
            });
        }

        return new JsonObject
        {
            ["receiver"] = "relay",
            ["status"] = status,
            ["alerts"] = array,
            ["groupLabels"] = new JsonObject { ["instance"] = "relay-test:9100" },
            ["commonLabels"] = new JsonObject { ["instance"] = "relay-test:9100", ["severity"] = "critical" },
            ["commonAnnotations"] = new JsonObject(),
            ["externalURL"] = "http://127.0.0.1:9093",
            ["version"] = "4",
            ["groupKey"] = "{}:{instance=\"relay-test:9100\"}",
            ["truncatedAlerts"] = 0,
        }.ToJsonString();
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
