using AlertRelay.Core.Notify;

namespace AlertRelay.Tests.Notify;

public class OutboxTests
{
    public static TheoryData<string, string?, NotificationKind?> Digests => new()
    {
        { "a digest of firing alerts", Outbox.DigestDetail(60, NotificationKind.Firing), NotificationKind.Firing },
        { "a digest of resolves", Outbox.DigestDetail(55, NotificationKind.Resolved), NotificationKind.Resolved },
        { "as stored before", "11 alerts firing", NotificationKind.Firing },
        { "no detail", null, null },
        { "an escalation step", "critical-ladder step 2", null },
    };

    [Theory]
    [MemberData(nameof(Digests))]
    public void DigestOf_ReadsTheKindADigestStandsFor_FromItsDetail(string name, string? detail, NotificationKind? expected) =>
        Assert.True(Outbox.DigestOf(detail) == expected, name);
}
