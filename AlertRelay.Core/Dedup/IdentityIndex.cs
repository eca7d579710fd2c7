using System.Collections.Concurrent;
using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.Dedup;

/// <summary>
/// The newest stored occurrence of every fingerprint, in memory, so that deduplicating an alert costs a
/// dictionary lookup instead of a query against a randomly keyed index. It is filled from the store when the
/// ingest writer starts and kept up to date by the writer (its only user: not thread-safe), except
/// <see cref="Forget"/>, which retention calls from its own thread.
/// </summary>
/// <remarks>
/// About 60 bytes per fingerprint (1 million distinct alerts within the retention period ≈ 60 MB). Occurrences
/// older than the newest are not held: a late copy of one is looked up in the store (rare). Older occurrences
/// that are still firing (a late copy of a past occurrence arrived firing) are held in a small side table, so
/// that the next re-fire can close them.
/// </remarks>
public sealed class IdentityIndex
{
    private readonly Dictionary<ulong, IdentityEntry> _latest = [];
    private readonly Dictionary<ulong, List<long>> _olderFiring = [];
    private readonly ConcurrentQueue<(ulong Fingerprint, long Id)> _forgotten = new();

    /// <summary>False until filled from the store, and again after a failed write left it unreliable.</summary>
    public bool IsLoaded { get; private set; }

    /// <summary>Fingerprints held.</summary>
    public int Count => _latest.Count;

    /// <summary>Empties the index; it must be filled again (<see cref="MarkLoaded"/>) before use.</summary>
    public void Invalidate()
    {
        _latest.Clear();
        _latest.TrimExcess();
        _olderFiring.Clear();
        IsLoaded = false;
    }

    /// <summary>Ends a fill from the store.</summary>
    public void MarkLoaded() => IsLoaded = true;

    /// <summary>The newest occurrence of the fingerprint, if any is stored.</summary>
    public bool TryGetLatest(Fingerprint fingerprint, out IdentityEntry latest) => _latest.TryGetValue(fingerprint.Value, out latest);

    /// <summary>Forgets a fingerprint whose newest occurrence turned out to be gone from the store.</summary>
    public void Remove(Fingerprint fingerprint) => _latest.Remove(fingerprint.Value);

    /// <summary>Forgets everything held about a fingerprint, before it is read again from the store.</summary>
    public void Drop(Fingerprint fingerprint)
    {
        _latest.Remove(fingerprint.Value);
        _olderFiring.Remove(fingerprint.Value);
    }

    /// <summary>Records the newest occurrence of a fingerprint (a new one, or new state of the current one).</summary>
    public void SetLatest(Fingerprint fingerprint, IdentityEntry latest) => _latest[fingerprint.Value] = latest;

    /// <summary>
    /// While filling from the store: one stored occurrence, in any order. The one with the newest startsAt
    /// wins; its details are read lazily (<see cref="IdentityEntry.IsLoaded"/> false).
    /// </summary>
    public void AddStored(Fingerprint fingerprint, long startsAtMs, long id)
    {
        ref var slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_latest, fingerprint.Value, out var exists);
        if (!exists || slot.StartsAtMs < startsAtMs)
        {
            slot = IdentityEntry.Unloaded(id, startsAtMs);
        }
    }

    /// <summary>An occurrence that is not the newest of its fingerprint but is still firing.</summary>
    public void AddOlderFiring(Fingerprint fingerprint, long id)
    {
        if (!_olderFiring.TryGetValue(fingerprint.Value, out var ids))
        {
            _olderFiring[fingerprint.Value] = ids = [];
        }

        if (!ids.Contains(id))
        {
            ids.Add(id);
        }
    }

    /// <summary>An older occurrence is no longer firing.</summary>
    public void RemoveOlderFiring(Fingerprint fingerprint, long id)
    {
        if (_olderFiring.TryGetValue(fingerprint.Value, out var ids) && ids.Remove(id) && ids.Count == 0)
        {
            _olderFiring.Remove(fingerprint.Value);
        }
    }

    /// <summary>The older firing occurrences of a fingerprint (removed from the index: the caller resolves them).</summary>
    public IReadOnlyList<long> TakeOlderFiring(Fingerprint fingerprint) =>
        _olderFiring.Remove(fingerprint.Value, out var ids) ? ids : [];

    /// <summary>
    /// Retention deleted an occurrence (thread-safe). Call it before the deleting transaction commits: the writer
    /// applies it at the start of its next transaction (<see cref="ApplyForgotten"/>), which cannot begin before
    /// that commit.
    /// </summary>
    public void Forget(Fingerprint fingerprint, long id) => _forgotten.Enqueue((fingerprint.Value, id));

    /// <summary>Drops the deleted occurrences retention reported. Returns how many were the newest of their fingerprint.</summary>
    public int ApplyForgotten()
    {
        var dropped = 0;
        while (_forgotten.TryDequeue(out var deleted))
        {
            if (_latest.TryGetValue(deleted.Fingerprint, out var latest) && latest.Id == deleted.Id)
            {
                _latest.Remove(deleted.Fingerprint);
                dropped++;
            }

            RemoveOlderFiring(new Fingerprint(deleted.Fingerprint), deleted.Id);
        }

        return dropped;
    }
}
