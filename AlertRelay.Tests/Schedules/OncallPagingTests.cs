using AlertRelay.Core.Configuration;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Schedules;
using NodaTime;
using static AlertRelay.Tests.Schedules.PagingConfigs;

namespace AlertRelay.Tests.Schedules;

public class OncallPagingTests
{
    private static readonly string[] Channel = ["oncall-slack/slack[0]", "oncall-slack/slack[1]", "oncall-slack/email[0]"];

    private static readonly ScheduleOverride BobOverDst = new("bob", new LocalDateTime(2026, 3, 28, 18, 0), new LocalDateTime(2026, 3, 30, 9, 0));

    public static TheoryData<string, string, string?, string[]> Instants => new()
    {
        { "alice's first week (09:00 Paris is 08:00Z in winter)", "2026-01-05T08:00:00Z", "alice", [.. Channel, "oncall:primary/alice/slack[0]", "oncall:primary/alice/email[0]"] },
        { "a second before the handoff", "2026-01-12T07:59:59Z", "alice", [.. Channel, "oncall:primary/alice/slack[0]", "oncall:primary/alice/email[0]"] },
        { "at the handoff", "2026-01-12T08:00:00Z", "bob", [.. Channel, "oncall:primary/bob/slack[0]", "oncall:primary/bob/email[0]"] },
        { "carol has no Slack id: email only", "2026-01-19T08:00:00Z", "carol", [.. Channel, "oncall:primary/carol/email[0]"] },
        { "the override over the DST change", "2026-03-29T01:30:00Z", "bob", [.. Channel, "oncall:primary/bob/slack[0]", "oncall:primary/bob/email[0]"] },
        { "the rotation after the override, 09:00 CEST = 07:00Z", "2026-03-30T07:00:00Z", "alice", [.. Channel, "oncall:primary/alice/slack[0]", "oncall:primary/alice/email[0]"] },
        { "the override's last second, 08:59:59 CEST", "2026-03-30T06:59:59Z", "bob", [.. Channel, "oncall:primary/bob/slack[0]", "oncall:primary/bob/email[0]"] },
        { "carol's week before the override", "2026-03-28T16:59:59Z", "carol", [.. Channel, "oncall:primary/carol/email[0]"] },
    };

    [Theory]
    [MemberData(nameof(Instants))]
    public void Resolve_PagesWhoeverIsOnCallAtTheInstant_ThroughChannelAndTheirOwnReceiver(string name, string at, string? participant, string[] via)
    {
        var config = Config(Primary(overrides: BobOverDst), [OncallSlack()]);

        var paged = OncallPaging.Resolve(config, "oncall:primary", DateTimeOffset.Parse(at));

        Assert.True(new OncallPage("primary", participant!) == paged.Page, name);
        Assert.Equal(via, paged.Targets.Select(OncallPaging.Via));
    }

    [Fact]
    public void Resolve_PagesOnlyTheirEmail_WhenTheScheduleHasNoReceiver()
    {
        var schedule = Primary(receiver: null) with { Rotation = Primary().Rotation with { Participants = ["carol"] } };
        var config = Config(schedule, [OncallSlack()], global: new Dictionary<string, object?> { ["smtp_smarthost"] = "smtp.example:25" });

        var paged = OncallPaging.Resolve(config, "oncall:primary", DateTimeOffset.Parse("2026-01-05T08:00:00Z"));

        Assert.Equal(new OncallPage("primary", "carol"), paged.Page);
        Assert.Equal(["oncall:primary/carol/email[0]"], paged.Targets.Select(OncallPaging.Via));
    }

    [Theory]
    [InlineData("an ordinary receiver is its integrations, unpaged", "oncall-slack", 3)]
    [InlineData("an unknown schedule reaches nobody (gone after a reload)", "oncall:secondary", 0)]
    [InlineData("an unknown receiver reaches nobody", "nobody", 0)]
    public void Resolve_PagesNobody_WhenTheReceiverIsNoSchedule(string name, string receiver, int targets)
    {
        var paged = OncallPaging.Resolve(Config(Primary(), [OncallSlack()]), receiver, DateTimeOffset.Parse("2026-01-05T08:00:00Z"));

        Assert.True(paged.Page is null, name);
        Assert.Equal(targets, paged.Targets.Count);
    }

    [Fact]
    public void Events_OnePerPage_NamingItsIntegrations_WhenSomeNotificationsPage()
    {
        var alice = new OncallPage("primary", "alice");
        var bob = new OncallPage("secondary", "bob");
        List<(NotificationTarget, OncallPage?)> notifications =
        [
            (new NotificationTarget("team", "slack", 0), null),
            (new NotificationTarget("oncall-slack", "slack", 0), alice),
            (new NotificationTarget("oncall:primary/alice", "slack", 0), alice),
            (new NotificationTarget("oncall:secondary/bob", "email", 0), bob),
        ];

        var events = OncallPaging.Events(notifications, "critical step 1");

        Assert.Equal(
            [
                new OncallPagingEvent("primary", "alice", ["oncall-slack/slack[0]", "oncall:primary/alice/slack[0]"], "critical step 1"),
                new OncallPagingEvent("secondary", "bob", ["oncall:secondary/bob/email[0]"], "critical step 1"),
            ],
            events, new PagingEventComparer());
    }

    [Theory]
    [InlineData("the participant's own receiver", "oncall:primary/alice", true)]
    [InlineData("another participant's receiver", "oncall:primary/bob", false)]
    [InlineData("the schedule's channel", "oncall-slack", false)]
    public void IsDirect_TellsTheirOwnReceiverApart(string name, string receiver, bool direct) =>
        Assert.True(direct == OncallPaging.IsDirect(new OncallPage("primary", "alice"), receiver), name);

    [Theory]
    [InlineData("oncall:primary/alice", "primary", "alice")]
    [InlineData("oncall:eu/primary/alice", "eu/primary", "alice")]
    [InlineData("oncall:primary", null, null)]
    [InlineData("oncall:/alice", null, null)]
    [InlineData("oncall:primary/", null, null)]
    [InlineData("team/alice", null, null)]
    public void PageOf_ReadsAParticipantsReceiverName(string receiver, string? schedule, string? participant) =>
        Assert.Equal(schedule is null ? null : new OncallPage(schedule, participant!), OncallPaging.PageOf(receiver));

    private sealed class PagingEventComparer : IEqualityComparer<OncallPagingEvent>
    {
        public bool Equals(OncallPagingEvent? x, OncallPagingEvent? y) =>
            x is not null && y is not null && (x with { Via = [] }) == (y with { Via = [] }) && x.Via.SequenceEqual(y.Via);

        public int GetHashCode(OncallPagingEvent obj) => obj.Schedule.GetHashCode(StringComparison.Ordinal);
    }
}
