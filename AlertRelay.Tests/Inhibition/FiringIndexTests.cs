using AlertRelay.Core.Alerts;
using AlertRelay.Core.Inhibition;

namespace AlertRelay.Tests.Inhibition;

public class FiringIndexTests
{
    private static readonly LabelSet Labels = LabelSet.From(("alertname", "X"));

    [Fact]
    public void MutedBy_FollowsReattributionAndRemoval()
    {
        var index = new FiringIndex();
        index.Add(1, Fingerprint.Of(Labels), Labels);
        index.Add(2, Fingerprint.Of(Labels), Labels);
        index.Add(3, Fingerprint.Of(Labels), Labels, inhibitedBy: 1);
        index.Add(4, Fingerprint.Of(Labels), Labels, inhibitedBy: 1);

        index.SetInhibitedBy(4, 2);

        Assert.Equal([3L], index.MutedBy(1).Select(t => t.OccurrenceId));
        Assert.Equal([4L], index.MutedBy(2).Select(t => t.OccurrenceId));

        index.Remove(3);
        index.SetInhibitedBy(4, null);

        Assert.Empty(index.MutedBy(1));
        Assert.Empty(index.MutedBy(2));
        Assert.Equal([1L, 2L, 4L], index.Unmuted.Select(s => s.OccurrenceId).Order());
    }
}
