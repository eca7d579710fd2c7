using System.Text.Json.Nodes;
using AlertRelay.Core.Notify.Slack;
using AlertRelay.Core.Oncall;

namespace AlertRelay.Tests.Notify.Slack;

public class SlackInteractionParserTests
{
    [Fact]
    public void Parse_ReadsUserActionAndResponseUrl_WhenBlockActions()
    {
        var (interaction, error) = SlackInteractionParser.Parse(Payload("ack", "42").ToJsonString());

        Assert.Null(error);
        Assert.Equal(new SlackInteraction("block_actions", "U123", "alice", "ack", "42", new Uri("https://hooks.slack.com/actions/T1/2/abc")), interaction);
    }

    [Fact]
    public void Parse_TakesTheUsernameThenTheId_WhenNameIsMissing()
    {
        var payload = Payload("ack", "42");
        payload["user"]!.AsObject().Remove("name");
        Assert.Equal("alice.smith", SlackInteractionParser.Parse(payload.ToJsonString()).Interaction!.UserName);

        payload["user"]!.AsObject().Remove("username");
        Assert.Equal("U123", SlackInteractionParser.Parse(payload.ToJsonString()).Interaction!.UserName);
    }

    [Fact]
    public void Parse_ReadsTheSelectedOption_WhenTheActionIsASelect()
    {
        var payload = Payload("silence", null);
        payload["actions"]![0]!["selected_option"] = new JsonObject { ["value"] = "42:4h" };

        Assert.Equal("42:4h", SlackInteractionParser.Parse(payload.ToJsonString()).Interaction!.Value);
    }

    [Fact]
    public void Parse_ReturnsOnlyTheType_WhenNotBlockActions()
    {
        var (interaction, error) = SlackInteractionParser.Parse("""{"type":"view_submission","user":{"id":"U1"}}""");

        Assert.Null(error);
        Assert.Equal("view_submission", interaction!.Type);
    }

    public static TheoryData<string, string?, string> Malformed => new()
    {
        { "missing", null, "payload:" },
        { "not JSON", "{type:", "payload: is not JSON" },
        { "an array", "[]", "payload: is not a JSON object" },
        { "no type", """{"user":{"id":"U1"}}""", "payload.type" },
        { "no user id", """{"type":"block_actions","user":{},"actions":[{"action_id":"ack"}]}""", "payload.user.id" },
        { "no actions", """{"type":"block_actions","user":{"id":"U1"}}""", "payload.actions[0].action_id" },
        { "action without id", """{"type":"block_actions","user":{"id":"U1"},"actions":[{"value":"1"}]}""", "payload.actions[0].action_id" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Parse_NamesTheField_WhenMalformed(string name, string? payload, string field)
    {
        var (interaction, error) = SlackInteractionParser.Parse(payload);

        Assert.Null(interaction);
        Assert.True(error?.StartsWith(field, StringComparison.Ordinal) == true, $"{name}: {error}");
    }

    public static TheoryData<string, string, string?, SlackButtonAction?, string?> Actions => new()
    {
        { "acknowledge", "ack", "42", new SlackButtonAction(OncallActionKind.Acknowledge, 42), null },
        { "unacknowledge", "unack", "42", new SlackButtonAction(OncallActionKind.Unacknowledge, 42), null },
        { "silence 1h", "silence", "42:1h", new SlackButtonAction(OncallActionKind.Silence, 42, TimeSpan.FromHours(1)), null },
        { "silence 1d", "silence", "42:1d", new SlackButtonAction(OncallActionKind.Silence, 42, TimeSpan.FromDays(1)), null },
        { "silence from the select", "silence_for", "42:4h", new SlackButtonAction(OncallActionKind.Silence, 42, TimeSpan.FromHours(4)), null },
        { "unknown action", "delete_everything", "42", null, "does not know the button \"delete_everything\"" },
        { "no value", "ack", null, null, "carries no alert id" },
        { "value not a number", "ack", "forty-two", null, "carries no alert id" },
        { "negative id", "ack", "-1", null, "carries no alert id" },
        { "silence without duration", "silence", "42", null, "no valid silence duration" },
        { "silence with a bad duration", "silence", "42:soon", null, "no valid silence duration" },
        { "silence of zero", "silence", "42:0", null, "no valid silence duration" },
    };

    [Theory]
    [MemberData(nameof(Actions))]
    public void Action_MapsButtonsToOncallActions_OrExplainsWhyNot(string name, string actionId, string? value, SlackButtonAction? expected, string? error)
    {
        var (action, refused) = SlackInteractionParser.Action(new SlackInteraction("block_actions", "U1", "alice", actionId, value, null));

        Assert.True(Equals(expected, action), name);
        if (error is null)
        {
            Assert.Null(refused);
        }
        else
        {
            Assert.Contains(error, refused);
        }
    }

    private static JsonObject Payload(string actionId, string? value) => new()
    {
        ["type"] = "block_actions",
        ["user"] = new JsonObject { ["id"] = "U123", ["username"] = "alice.smith", ["name"] = "alice", ["team_id"] = "T1" },
        ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = "1732560000.000100", ["channel_id"] = "C0123" },
        ["response_url"] = "https://hooks.slack.com/actions/T1/2/abc",
        ["actions"] = new JsonArray(new JsonObject { ["action_id"] = actionId, ["block_id"] = "alertrelay-oncall", ["value"] = value, ["type"] = "button" }),
    };
}
