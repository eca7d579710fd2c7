using AlertRelay.Core.Notify;
using AlertRelay.Core.Pipeline;
using AlertRelay.Core.Schedules;
using AlertRelay.Tests.Schedules;

namespace AlertRelay.Tests.Notify;

public class NotifyStagePagingTests
{
    private static readonly NotificationTarget Channel = new("oncall-slack", Integrations.Slack, 1);
    private static readonly OncallPage Alice = new("primary", "alice");
    private static readonly OncallPage Bob = new("primary", "bob");

    [Fact]
    public void Firing_CarriesThePage_OnlyOnTheScheduleReceiversNotifications()
    {
        var config = PagingConfigs.Config(PagingConfigs.Primary(), [PagingConfigs.OncallSlack()]);

        var planned = NotifyStage.Firing(config, 7, ["oncall-slack", "oncall:primary"], new DateTimeOffset(2026, 1, 13, 0, 0, 0, TimeSpan.Zero)).ToList();

        Assert.Equal(8, planned.Count);
        Assert.All(planned.Take(3), n => Assert.Null(n.Page));
        Assert.All(planned.Skip(3), n => Assert.Equal(Bob, n.Page));
    }

    public static TheoryData<string, PlannedNotification[], int, string[]> Groups => new()
    {
        { "a page and a plain notification to one target stay apart", [new(1, Channel, NotificationKind.Firing, Alice), new(1, Channel, NotificationKind.Firing)], 2, ["alice", "-"] },
        { "pages of two people stay apart", [new(1, Channel, NotificationKind.Firing, Alice), new(2, Channel, NotificationKind.Firing, Bob)], 2, ["alice", "bob"] },
        {
            "three pages of one person over the threshold become one digest that pages them",
            [new(1, Channel, NotificationKind.Firing, Alice), new(2, Channel, NotificationKind.Firing, Alice), new(3, Channel, NotificationKind.Firing, Alice)], 1, ["alice"]
        },
    };

    [Theory]
    [MemberData(nameof(Groups))]
    public void Queue_KeepsPagesApart_WhenGroupingIntoDigests(string name, PlannedNotification[] planned, int count, string[] paged)
    {
        var queued = NotifyStage.Queue(planned, digestThreshold: 2);

        Assert.True(count == queued.Count, name);
        Assert.Equal(paged, queued.Select(q => q.Page?.Participant ?? "-"));
    }
}
