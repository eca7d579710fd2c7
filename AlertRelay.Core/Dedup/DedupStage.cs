using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.Dedup;

/// <summary>
/// Decides what an incoming alert changes, given what is stored for its fingerprint. An occurrence is
/// identified by (fingerprint, startsAt); only real changes become events, so group re-sends and HA
/// twins yield <see cref="AlertChange.None"/>.
/// </summary>
public static class DedupStage
{
    /// <param name="stored">What the store holds for the alert's identity.</param>
    /// <param name="incoming">The copy that arrived.</param>
    /// <param name="holdReopens">
    /// Whether a resolved occurrence arriving firing waits for a grace period (<see cref="AlertChange.ReopenPending"/>)
    /// rather than re-opening at once (<see cref="AlertChange.Reopened"/>): in an Alertmanager HA pair the firing copy may be
    /// a stale snapshot that a later instance sends after the first one's resolve.
    /// </param>
    public static AlertChange Decide(StoredIdentity stored, Alert incoming, bool holdReopens = false)
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

        if (existing.ReopenPending && incoming.Status == AlertStatus.Resolved)
        {
            // A resolve within the grace: the firing copy that made the candidate was stale.
            change |= AlertChange.StaleCopy;
        }

        if (superseded)
        {
            // A newer occurrence of this fingerprint exists: a stale copy may close the old one, nothing more.
            return change;
        }

        if (existing.Status == AlertStatus.Resolved && incoming.Status == AlertStatus.Firing && !existing.ReopenPending)
        {
            // While a candidate waits, further firing copies are duplicates.
            change |= holdReopens ? AlertChange.ReopenPending : AlertChange.Reopened;
        }

        if (existing.AnnotationsHash != OccurrenceState.HashAnnotations(incoming.Annotations))
        {
            change |= AlertChange.AnnotationsChanged;
        }

        return change;
    }

    /// <summary>
    /// Decides a re-open candidate whose grace period has ended without a resolve: confirmed (<see cref="AlertChange.Reopened"/>)
    /// when it is still the newest occurrence of its fingerprint and resolved; cancelled (<see cref="AlertChange.StaleCopy"/>)
    /// when a newer occurrence replaced it; <see cref="AlertChange.None"/> when it is gone or no longer a candidate.
    /// </summary>
    public static AlertChange DecideDue(StoredIdentity stored, long startsAtMs)
    {
        if (stored.Existing is not { ReopenPending: true } existing)
        {
            return AlertChange.None;
        }

        var superseded = stored.LatestStartsAtMs is { } newest && newest > startsAtMs;
        return superseded || existing.Status != AlertStatus.Resolved ? AlertChange.StaleCopy : AlertChange.Reopened;
    }
}
