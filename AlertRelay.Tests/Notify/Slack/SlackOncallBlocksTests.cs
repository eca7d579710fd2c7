using System.Text.Json.Nodes;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Escalation;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Notify.Slack;
using AlertRelay.Core.Oncall;
using Microsoft.Extensions.Time.Testing;
using static AlertRelay.Tests.Notify.Slack.SlackTestAlerts;

namespace AlertRelay.Tests.Notify.Slack;

/// <summary>The on-call buttons of a Slack message: which are rendered, with which values, and the acknowledgement and silence lines.</summary>
public class SlackOncallBlocksTests
{
    private const string PageBase = "https://alertrelay.example.com";
    private static readonly DateTimeOffset AckedAt = Start.AddMinutes(3);

    public static TheoryData<string, bool, bool, string?, NotificationMessage, string[]> Cases => new()
    {
        // name, signing secret, Web API, links base, message, button texts (in order)
        { "no secret, no links", false, true, null, Firing(), [] },
        { "no secret, links", false, true, PageBase, Firing(), ["Open in AlertRelay"] },
        { "webhook mode", true, false, null, Firing(), [] },
        { "webhook mode with links", true, false, PageBase, Firing(), ["Open in AlertRelay"] },
        { "interactive, no links", true, true, null, Firing(), ["Acknowledge", "Silence 1h", "Silence for…"] },
        { "interactive with links", true, true, PageBase, Firing(), ["Acknowledge", "Silence 1h", "Silence for…", "Open in AlertRelay"] },
        { "escalation", true, true, null, Message(NotificationKind.Escalation, Alert()), ["Acknowledge", "Silence 1h", "Silence for…"] },
        { "acknowledged", true, true, null, Message(NotificationKind.Firing, Acked()), ["Unacknowledge", "Silence 1h", "Silence for…"] },
        { "silenced", true, true, null, Message(NotificationKind.Firing, Silenced()), ["Acknowledge"] },
        { "acknowledged and silenced", true, true, PageBase, Message(NotificationKind.Firing, Silenced() with { Acknowledgement = Acked().Acknowledgement }), ["Unacknowledge", "Open in AlertRelay"] },
        { "resolved", true, true, PageBase, Resolved(), [] },
        { "digest", true, true, PageBase, Message(NotificationKind.Digest, Many(5)), [] },
        { "two alerts", true, true, PageBase, Message(NotificationKind.Firing, Many(2)), [] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Build_RendersTheOncallButtons_ThatFitTheState(string name, bool secret, bool webApi, string? links, NotificationMessage message, string[] buttons)
    {
        var settings = new SlackOncallSettings(secret, new FixedAlertLinks(links), new FakeTimeProvider(Start));

        var built = SlackMessageBuilder.Build(message, oncall: settings.ViewFor(message, webApi));

        var texts = OncallButtons(built).Select(b => (b["text"] ?? b["placeholder"])!["text"]!.GetValue<string>()).ToList();
        Assert.True(buttons.SequenceEqual(texts), $"{name}: {string.Join(", ", texts)}");
    }

    [Fact]
    public void Build_GivesEachButtonItsActionAndValue_WhenInteractive()
    {
        var settings = new SlackOncallSettings(true, new FixedAlertLinks(PageBase), new FakeTimeProvider(Start));
        var message = Message(NotificationKind.Firing, Alert(id: 42));

        var buttons = OncallButtons(SlackMessageBuilder.Build(message, oncall: settings.ViewFor(message, webApi: true)));

        Assert.Equal([("ack", "42"), ("silence", "42:1h")], buttons.Where(b => b["value"] is not null)
            .Select(b => (b["action_id"]!.GetValue<string>(), b["value"]!.GetValue<string>())));
        var select = Assert.Single(buttons, b => b["type"]!.GetValue<string>() == "static_select");
        Assert.Equal("silence_for", select["action_id"]!.GetValue<string>());
        Assert.Equal(["42:4h", "42:1d"], select["options"]!.AsArray().Select(o => o!["value"]!.GetValue<string>()));
        var open = Assert.Single(buttons, b => b["url"] is not null);
        Assert.Equal($"{PageBase}/alerts/42?sig=abc", open["url"]!.GetValue<string>());
        Assert.Equal("open", open["action_id"]!.GetValue<string>());
    }

    [Fact]
    public void Build_ShowsWhoAcknowledgedAndWhen_WhenAcknowledged()
    {
        var message = Message(NotificationKind.Firing, Acked());

        var text = ContextText(SlackMessageBuilder.Build(message, oncall: new SlackOncallView(true, null)));

        Assert.Contains(":white_check_mark: Acknowledged by *alice* at <!date^" + AckedAt.ToUnixTimeSeconds(), text);
        Assert.Contains("_on it_", text);
    }

    [Fact]
    public void Build_ShowsTheSilenceIdAndUntilWhen_WhenSilenced()
    {
        var message = Message(NotificationKind.Firing, Silenced());

        var text = ContextText(SlackMessageBuilder.Build(message, oncall: new SlackOncallView(true, null)));

        Assert.Contains($"Silenced until <!date^{Start.AddHours(1).ToUnixTimeSeconds()}", text);
        Assert.Contains("by *bob*", text);
        Assert.Contains("(silence `5f0e-silence`)", text);
    }

    [Fact]
    public void Build_AddsNoOncallBlocks_WhenNoViewIsGiven()
    {
        Assert.Empty(OncallButtons(SlackMessageBuilder.Build(Firing())));
    }

    private static NotifiedOccurrence Acked() => Alert() with { Acknowledgement = new Acknowledgement("alice", "on it", AckedAt, null) };

    private static NotifiedOccurrence Silenced() => Alert() with { Silence = new ActiveSilence("5f0e-silence", "bob", Start.AddHours(1)) };

    private static List<JsonNode> Blocks(SlackMessage message) =>
        [.. (message.Blocks ?? []).Concat(message.Attachments?.SelectMany(a => a!["blocks"]!.AsArray()) ?? []).OfType<JsonNode>()];

    private static List<JsonNode> OncallButtons(SlackMessage message) =>
        [.. Blocks(message).Where(b => b["block_id"]?.GetValue<string>() == "alertrelay-oncall").SelectMany(b => b["elements"]!.AsArray()).OfType<JsonNode>()];

    private static string ContextText(SlackMessage message) =>
        string.Join("\n", Blocks(message).Where(b => b["type"]!.GetValue<string>() == "context")
            .SelectMany(b => b["elements"]!.AsArray()).Select(e => e!["text"]!.GetValue<string>()));
}
