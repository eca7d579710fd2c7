using AlertRelay.Core.Configuration;
using AlertRelay.Core.Schedules;
using static AlertRelay.Tests.Schedules.PagingConfigs;

namespace AlertRelay.Tests.Schedules;

public class OncallPagingReceiversTests
{
    private static readonly Dictionary<string, object?> SmtpGlobal = new() { ["smtp_smarthost"] = "mail.example:587", ["smtp_from"] = "relay@example.com" };

    [Fact]
    public void Make_DirectMessageAndEmail_FromTheScheduleReceiversSettings()
    {
        var (made, problems) = OncallPagingReceivers.Make(Primary(), Participants, [OncallSlack()], null);

        Assert.Empty(problems);
        Assert.Equal(["oncall:primary/alice", "oncall:primary/bob", "oncall:primary/carol"], made.Select(r => r.Name));
        var alice = made[0];
        var dm = Assert.Single(alice.SlackConfigs);
        Assert.Equal(("U0ALICE01", "xoxb-paging", "https://slack.example/api/", true), (dm.Channel, dm.BotToken, dm.ApiBaseUrl, dm.SendResolved));
        var mail = Assert.Single(alice.EmailConfigs);
        Assert.Equal(("alice@example.com", "alertrelay@example.com", "smtp.example:25", (bool?)false, true),
            (mail.To, mail.From, mail.Smarthost, mail.RequireTls, mail.SendResolved));
        Assert.Empty(made[2].SlackConfigs); // carol has no Slack id
    }

    [Fact]
    public void Make_EmailLeavesTheServerToGlobal_WhenTheReceiverHasNoEmailConfig()
    {
        var slackOnly = OncallSlack() with { EmailConfigs = [] };

        var (made, problems) = OncallPagingReceivers.Make(Primary(), Participants, [slackOnly], SmtpGlobal);

        Assert.Empty(problems);
        var mail = Assert.Single(made[0].EmailConfigs);
        Assert.Equal(("alice@example.com", null, null), (mail.To, mail.From, mail.Smarthost)); // EmailSettings fills smtp_* in
    }

    [Fact]
    public void Make_TakesOverridesParticipants_WhenTheyAreNotInTheRotation()
    {
        var dave = new Participant("dave", "dave@example.com", null);
        var schedule = Primary(overrides: new ScheduleOverride("dave", new(2026, 3, 28, 18, 0), new(2026, 3, 30, 9, 0)));

        var (made, _) = OncallPagingReceivers.Make(schedule, [.. Participants, dave], [OncallSlack()], null);

        Assert.Equal("oncall:primary/dave", made[^1].Name);
    }

    public static TheoryData<string, ReceiverConfig[], Dictionary<string, object?>?, string[]> Unreachable => new()
    {
        {
            "no bot token for the direct messages", [OncallSlack() with { SlackConfigs = [OncallSlack().SlackConfigs[0]] }], null,
            [
                "schedule \"primary\": participant \"alice\" has a slack_user_id, but the schedule has no receiver with a slack_config that sets bot_token or bot_token_file (a direct message needs the Web API)",
                "schedule \"primary\": participant \"bob\" has a slack_user_id, but the schedule has no receiver with a slack_config that sets bot_token or bot_token_file (a direct message needs the Web API)",
            ]
        },
        {
            "no email server anywhere", [OncallSlack() with { EmailConfigs = [] }], null,
            [
                "schedule \"primary\": participant \"alice\" has an email, but the schedule has no receiver with an email_config and global sets no smtp_smarthost",
                "schedule \"primary\": participant \"bob\" has an email, but the schedule has no receiver with an email_config and global sets no smtp_smarthost",
                "schedule \"primary\": participant \"carol\" has an email, but the schedule has no receiver with an email_config and global sets no smtp_smarthost",
            ]
        },
    };

    [Theory]
    [MemberData(nameof(Unreachable))]
    public void Make_ReportsTheScheduleAndParticipant_WhenAParticipantCannotBeReached(
        string name, ReceiverConfig[] receivers, Dictionary<string, object?>? global, string[] expected)
    {
        var (_, problems) = OncallPagingReceivers.Make(Primary(), Participants, receivers, global);

        Assert.True(expected.SequenceEqual(problems), $"{name}: {string.Join(" | ", problems)}");
    }
}
