using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Dedup;
using AlertRelay.Core.Inhibition;
using Microsoft.Extensions.Logging;

namespace AlertRelay.Core.Pipeline;

/// <summary>
/// The state the chain decides against, in memory: the newest occurrence of every fingerprint (deduplication) and the
/// firing occurrences that an inhibition rule involves (inhibition). Filled from the store, then kept up to date by the
/// chain as it plans; it is a cache: when a write fails or the store contradicts it, it is dropped and filled again.
/// Owned by the one ingest writer (not thread-safe), except that retention reports deletions to the identities.
/// </summary>
public sealed class IngestState(IdentityIndex identities, ILogger<IngestState>? logger = null)
{
    private RelayConfig? _firingConfig;
    private bool _firingLoaded;

    public IdentityIndex Identities => identities;

    public FiringIndex Firing { get; private set; } = new();

    /// <summary>
    /// Brings the state up to date at the start of a transaction: deletions retention committed before it, a fill where
    /// the state is empty, and a new firing index when the configuration (its inhibition rules) changed.
    /// </summary>
    public void Prepare(IIngestReader reader, RelayConfig config)
    {
        if (identities.IsLoaded)
        {
            // Another replica's writer committed since ours: what it changed is read again, the rest is still true.
            var changed = reader.ChangedElsewhere();
            if (changed is null)
            {
                Invalidate();
            }
            else if (changed.Count > 0)
            {
                reader.LoadIdentities(identities, changed);
                Firing = new FiringIndex();
                _firingLoaded = false;
            }
        }

        if (!ReferenceEquals(config, _firingConfig))
        {
            Firing = new FiringIndex();
            _firingLoaded = false;
            _firingConfig = config;
        }

        if (!_firingLoaded)
        {
            LoadFiring(reader, config.InhibitRules);
        }

        identities.ApplyForgotten();
        if (!identities.IsLoaded)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            reader.LoadIdentities(identities);
            logger?.LogInformation("Loaded the newest occurrence of {fingerprints} fingerprints in {ms:F0} ms",
                identities.Count, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    /// <summary>Drops everything: the next <see cref="Prepare"/> fills it again from the store.</summary>
    public void Invalidate()
    {
        identities.Invalidate();
        Firing = new FiringIndex();
        _firingLoaded = false;
    }

    private void LoadFiring(IIngestReader reader, IReadOnlyList<InhibitRule> rules)
    {
        // Without rules nothing can use them: do not hold the labels of every firing alert in memory.
        if (rules.Count > 0)
        {
            foreach (var firing in reader.LoadFiring())
            {
                if (InhibitionStage.IsInvolved(firing.Labels, rules))
                {
                    Firing.Add(firing.Id, firing.Fingerprint, firing.Labels, firing.InhibitedBy);
                }
            }
        }

        _firingLoaded = true;
    }

    /// <summary>
    /// What is stored for an alert's identity: from memory when it is the newest occurrence of its fingerprint (or
    /// newer than any), from the store for a late copy of an older one.
    /// </summary>
    public StoredIdentity Lookup(IIngestReader reader, Fingerprint fingerprint, long startsAtMs)
    {
        if (!identities.TryGetLatest(fingerprint, out var latest))
        {
            return StoredIdentity.Unknown;
        }

        if (latest.StartsAtMs < startsAtMs)
        {
            return new StoredIdentity(null, latest.StartsAtMs);
        }

        if (latest.StartsAtMs > startsAtMs)
        {
            return new StoredIdentity(reader.Find(fingerprint, startsAtMs), latest.StartsAtMs);
        }

        return Latest(reader, fingerprint) is { } loaded ? new StoredIdentity(loaded.ToState(), loaded.StartsAtMs) : StoredIdentity.Unknown;
    }

    /// <summary>The newest occurrence of a fingerprint with its details loaded; null when none is stored.</summary>
    public IdentityEntry? Latest(IIngestReader reader, Fingerprint fingerprint)
    {
        if (!identities.TryGetLatest(fingerprint, out var latest))
        {
            return null;
        }

        if (!latest.IsLoaded)
        {
            if (reader.Load(latest.Id) is not { } details)
            {
                identities.Remove(fingerprint); // deleted by retention meanwhile
                return null;
            }

            latest = IdentityEntry.Of(latest.Id, latest.StartsAtMs, details);
            identities.SetLatest(fingerprint, latest);
        }

        return latest;
    }
}
