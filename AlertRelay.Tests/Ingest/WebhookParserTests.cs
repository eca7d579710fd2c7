using System.Text;
using System.Text.Json.Nodes;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Ingest;
using AlertRelay.Tests.TestData;

namespace AlertRelay.Tests.Ingest;

public class WebhookParserTests
{
    private static WebhookParseResult Parse(string json) => WebhookParser.Parse(Encoding.UTF8.GetBytes(json));

    /// <summary>firing-single.json with one edit applied to its JSON tree.</summary>
    private static string Edited(Action<JsonObject> edit)
    {
        var root = JsonNode.Parse(Fixtures.Text(Fixtures.FiringSingle))!.AsObject();
        edit(root);
        return root.ToJsonString();
    }

    private static JsonObject FirstAlert(JsonObject root) => root["alerts"]![0]!.AsObject();

    [Theory]
    [MemberData(nameof(Fixtures.All), MemberType = typeof(Fixtures))]
    public void Parse_AcceptsEveryCapturedBody(string file)
    {
        var result = WebhookParser.Parse(Fixtures.Bytes(file));

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Empty(result.Warnings);
        Assert.NotEmpty(result.Message!.Alerts);
    }

    [Fact]
    public void Parse_ReadsEveryEnvelopeAndAlertField()
    {
        var message = WebhookParser.Parse(Fixtures.Bytes(Fixtures.GroupOneFiringOneResolved)).Message!;

        Assert.Equal("relay", message.Receiver);
        Assert.Equal(AlertStatus.Firing, message.Status);
        Assert.Equal("{}:{alertname=\"HighResponseTime\"}", message.GroupKey);
        Assert.Equal(0, message.TruncatedAlerts);
        Assert.Equal("HighResponseTime", message.GroupLabels["alertname"]);
        Assert.Equal("warning", message.CommonLabels["severity"]);
        Assert.Equal("High response time detected", message.CommonAnnotations["summary"]);
        Assert.Equal("http://127.0.0.1:9093", message.ExternalUrl);

        var firing = message.Alerts[0];
        Assert.Equal(AlertStatus.Firing, firing.Status);
        Assert.Equal("b92b7a90184f11a9", firing.Fingerprint.ToString());
        Assert.Equal("/api/orders", firing.Labels["route"]);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 22, 32, 30, 278, TimeSpan.Zero), firing.StartsAt);
        Assert.Null(firing.EndsAt); // Go's zero time
        Assert.Equal("", firing.GeneratorUrl);

        var resolved = message.Alerts[1];
        Assert.Equal(AlertStatus.Resolved, resolved.Status);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 22, 32, 44, TimeSpan.Zero), resolved.EndsAt);
    }

    [Fact]
    public void Parse_ComputesTheFingerprint_WhenTheAlertHasNone()
    {
        var json = Edited(root => FirstAlert(root).Remove("fingerprint"));

        var alert = Parse(json).Message!.Alerts[0];

        Assert.Equal("76902ea1e495036c", alert.Fingerprint.ToString());
    }

    [Fact]
    public void Parse_UsesTheComputedFingerprintAndWarns_WhenTheSentOneDoesNotMatchTheLabels()
    {
        var result = Parse(Edited(root => FirstAlert(root)["fingerprint"] = "0000000000000001"));

        Assert.Equal("76902ea1e495036c", result.Message!.Alerts[0].Fingerprint.ToString());
        Assert.Equal("alerts[0].fingerprint", Assert.Single(result.Warnings).Field);
    }

    [Fact]
    public void Parse_IgnoresUnknownMembers()
    {
        var json = Edited(root =>
        {
            root["someFutureField"] = new JsonObject { ["x"] = 1 };
            FirstAlert(root)["silencedBy"] = new JsonArray();
        });

        Assert.True(Parse(json).IsValid);
    }

    public static TheoryData<string, string, string, string> BadBodies => new()
    {
        { "not JSON", "{\"version\":\"4\",", WebhookParser.MalformedJson, "$" },
        { "a JSON array", "[]", WebhookParser.InvalidPayload, "$" },
        { "wrong version", Edited(r => r["version"] = "3"), WebhookParser.InvalidPayload, "version" },
        { "version missing", Edited(r => r.Remove("version")), WebhookParser.InvalidPayload, "version" },
        { "unknown envelope status", Edited(r => r["status"] = "pending"), WebhookParser.InvalidPayload, "status" },
        { "alerts missing", Edited(r => r.Remove("alerts")), WebhookParser.InvalidPayload, "alerts" },
        { "alerts not an array", Edited(r => r["alerts"] = "none"), WebhookParser.InvalidPayload, "alerts" },
        { "alert not an object", Edited(r => r["alerts"] = new JsonArray(1)), WebhookParser.InvalidPayload, "alerts[0]" },
        { "unknown alert status", Edited(r => FirstAlert(r)["status"] = "FIRING"), WebhookParser.InvalidPayload, "alerts[0].status" },
        { "empty label set", Edited(r => FirstAlert(r)["labels"] = new JsonObject()), WebhookParser.InvalidPayload, "alerts[0].labels" },
        { "labels missing", Edited(r => FirstAlert(r).Remove("labels")), WebhookParser.InvalidPayload, "alerts[0].labels" },
        { "label value not a string", Edited(r => FirstAlert(r)["labels"]!["severity"] = 2), WebhookParser.InvalidPayload, "alerts[0].labels.severity" },
        { "unparsable startsAt", Edited(r => FirstAlert(r)["startsAt"] = "yesterday"), WebhookParser.InvalidPayload, "alerts[0].startsAt" },
        { "startsAt missing", Edited(r => FirstAlert(r).Remove("startsAt")), WebhookParser.InvalidPayload, "alerts[0].startsAt" },
        { "zero startsAt", Edited(r => FirstAlert(r)["startsAt"] = "0001-01-01T00:00:00Z"), WebhookParser.InvalidPayload, "alerts[0].startsAt" },
        { "unparsable endsAt", Edited(r => FirstAlert(r)["endsAt"] = "2026-11-24 22:00"), WebhookParser.InvalidPayload, "alerts[0].endsAt" },
        { "annotations not an object", Edited(r => FirstAlert(r)["annotations"] = "x"), WebhookParser.InvalidPayload, "alerts[0].annotations" },
        { "negative truncatedAlerts", Edited(r => r["truncatedAlerts"] = -1), WebhookParser.InvalidPayload, "truncatedAlerts" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public void Parse_RejectsAndNamesTheField_WhenTheBodyIsBad(string name, string json, string reason, string field)
    {
        var result = Parse(json);

        Assert.False(result.IsValid, name);
        Assert.Equal(reason, result.RejectReason);
        Assert.Contains(result.Errors, e => e.Field == field);
    }

    [Fact]
    public void Parse_ReportsEveryBadAlert_NotJustTheFirst()
    {
        var json = Edited(root =>
        {
            var alerts = root["alerts"]!.AsArray();
            alerts.Add(FirstAlert(root).DeepClone());
            alerts[0]!["status"] = "bogus";
            alerts[1]!["startsAt"] = "bogus";
        });

        var result = Parse(json);

        Assert.Equal(["alerts[0].status", "alerts[1].startsAt"], result.Errors.Select(e => e.Field).ToArray());
    }

    [Fact]
    public void Parse_NormalisesTheSameInstantSentWithTwoOffsetsToOneStartsAt()
    {
        var utc = Parse(Edited(r => FirstAlert(r)["startsAt"] = "2026-11-24T22:32:30.253459502Z")).Message!.Alerts[0];
        var offset = Parse(Edited(r => FirstAlert(r)["startsAt"] = "2026-11-24T23:32:30.253+01:00")).Message!.Alerts[0];

        Assert.Equal(utc.StartsAt, offset.StartsAt);
        Assert.Equal(TimeSpan.Zero, offset.StartsAt.Offset);
    }
}
