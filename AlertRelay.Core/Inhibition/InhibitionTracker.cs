using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.Inhibition;

/// <summary>
/// Keeps who mutes whom among the firing occurrences (a <see cref="FiringIndex"/>) as occurrences open and resolve, and
/// returns the mutes and releases that follow; the decisions themselves are <see cref="InhibitionStage"/>'s.
/// </summary>
public sealed class InhibitionTracker(IReadOnlyList<InhibitRule> rules, FiringIndex firing)
{
    /// <summary>Whether a firing source mutes the occurrence.</summary>
    public bool IsMuted(long id) => firing.InhibitedBy(id) is not null;

    /// <summary>
    /// An occurrence started firing: it is muted by a firing source, and it mutes the unmuted targets it inhibits.
    /// Alerts that no rule involves are not kept (nothing to decide, nothing to hold in memory).
    /// </summary>
    public IReadOnlyList<Mute> Opened(long id, Fingerprint fingerprint, LabelSet labels)
    {
        if (!InhibitionStage.IsInvolved(labels, rules))
        {
            return [];
        }

        firing.Add(id, fingerprint, labels);
        var mutes = new List<Mute>();
        if (InhibitionStage.FindInhibitor(labels, rules, firing.Sources.Where(s => s.OccurrenceId != id)) is { } inhibition)
        {
            mutes.Add(Apply(new Mute(id, inhibition)));
        }

        if (InhibitionStage.IsSource(labels, rules))
        {
            var self = new InhibitionSource(id, fingerprint, labels);
            foreach (var target in firing.Unmuted.Where(t => t.OccurrenceId != id).ToList())
            {
                if (InhibitionStage.FindInhibitor(target.Labels, rules, [self]) is { } muting)
                {
                    mutes.Add(Apply(new Mute(target.OccurrenceId, muting)));
                }
            }
        }

        return mutes;
    }

    /// <summary>An occurrence stopped firing: the targets it muted are freed, or muted by another source that still fires.</summary>
    public InhibitionRelease Resolved(long id)
    {
        firing.Remove(id);
        var muted = firing.MutedBy(id);
        if (muted.Count == 0)
        {
            return InhibitionRelease.None;
        }

        var release = InhibitionStage.Released(id, muted, rules, firing.Sources);
        foreach (var target in release.Freed)
        {
            firing.SetInhibitedBy(target.OccurrenceId, null);
        }

        foreach (var moved in release.Reattributed)
        {
            Apply(new Mute(moved.Target.OccurrenceId, moved.Inhibition));
        }

        return release;
    }

    private Mute Apply(Mute mute)
    {
        firing.SetInhibitedBy(mute.TargetId, mute.Inhibition.Source.OccurrenceId);
        return mute;
    }
}
