using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.Dedup;

/// <summary>
/// Decides what an incoming alert changes, given what is stored for its fingerprint. An occurrence is
/// identified by (fingerprint, startsAt); only real changes become events, so group re-sends and HA
/// twins yield <see cref="AlertChange.None"/>.
/// </summary>
public static class DedupStage
{
    public static AlertChange Decide(StoredIdentity stored, Alert incoming)
    {
        var startsAtMs = UnixMillis.From(incoming.StartsAt);
        var resolved = incoming.Status == AlertStatus.Resolved ? AlertChange.Resolved : AlertChange.None;

        if (stored.Existing is not { } existing)
        {
            // An older startsAt arriving after a newer one is a late copy of a past occurrence: history, not a re-fire,
            // and not firing any more (the newer one replaced it), whatever the copy says.
            var refired = stored.LatestStartsAtMs is { } latest && latest < startsAtMs;
            var late = stored.LatestStartsAtMs is { } newer && newer > startsAtMs && incoming.Status == AlertStatus.Firing;
            return (refired ? AlertChange.Refired : AlertChange.Received) | resolved | (late ? AlertChange.Superseded : AlertChange.None);
        }

        var superseded = stored.LatestStartsAtMs is { } newest && newest > startsAtMs;
        var change = AlertChange.None;
        if (existing.Status == AlertStatus.Firing && incoming.Status == AlertStatus.Resolved)
        {
            change |= AlertChange.Resolved;
        }

        if (superseded)
        {
            // A newer occurrence of this fingerprint exists: a stale copy may close the old one, nothing more.
            return change;
        }

        if (existing.Status == AlertStatus.Resolved && incoming.Status == AlertStatus.Firing)
        {
            change |= AlertChange.Reopened;
        }

        if (existing.AnnotationsHash != OccurrenceState.HashAnnotations(incoming.Annotations))
        {
            change |= AlertChange.AnnotationsChanged;
        }

        return change;
    }
}
