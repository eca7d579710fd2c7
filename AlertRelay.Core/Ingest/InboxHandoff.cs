using System.Collections.Concurrent;
using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.Ingest;

/// <summary>
/// What the inbox appender and the ingest writer share in memory: who waits for a row to be applied, and the backlog. The
/// bodies themselves are not handed over: the writer reads them back from the inbox and parses them again, which measured
/// cheaper than keeping tens of thousands of parsed alerts alive for it (docs/benchmarks.md, issue 16) and keeps memory flat.
/// </summary>
public sealed class InboxHandoff
{
    private readonly ConcurrentDictionary<long, TaskCompletionSource<IngestResult?>> _waiters = new();
    private readonly Dictionary<long, IngestResult?> _early = []; // applied before the appender registered them (under _lock)
    private readonly Lock _lock = new();
    private long _backlogAlerts;
    private long _lastRegisteredId;

    /// <summary>
    /// Whether no row this process appended waits to be applied (exact, unlike <see cref="BacklogAlerts"/>, which follows readings
    /// of the store and other replicas' rows).
    /// </summary>
    public bool NothingWaitingHere => _waiters.IsEmpty;

    /// <summary>Unapplied alerts in the inbox as this process knows them: the last reading of the store, plus appends, minus applies since.</summary>
    public long BacklogAlerts => Math.Max(0, Interlocked.Read(ref _backlogAlerts));

    /// <summary>The appender: a row committed; returns the task the writer completes when it is applied.</summary>
    public Task<IngestResult?> Appended(long id, int alerts)
    {
        Interlocked.Add(ref _backlogAlerts, alerts);

        lock (_lock)
        {
            InterlockedMax.Raise(ref _lastRegisteredId, id);
            if (_early.Remove(id, out var result))
            {
                return Task.FromResult(result);
            }

            // This process registers its rows in id order: an older early result is another process's row, never claimed.
            foreach (var older in _early.Keys.Where(k => k < id).ToList())
            {
                _early.Remove(older);
            }

            var waiter = new TaskCompletionSource<IngestResult?>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters[id] = waiter;
            return waiter.Task;
        }
    }

    /// <summary>The writer: a row was applied (<paramref name="result"/>) or failed (null) and committed.</summary>
    public void Applied(InboxEntry entry, IngestResult? result)
    {
        Interlocked.Add(ref _backlogAlerts, -entry.Alerts);
        lock (_lock)
        {
            if (_waiters.TryRemove(entry.Id, out var waiter))
            {
                waiter.TrySetResult(result);
            }
            else if (entry.Id > LastRegisteredId)
            {
                _early[entry.Id] = result; // the writer was quicker than the appender's bookkeeping, or the row is another process's
            }
        }
    }

    /// <summary>The writer: a row taken in a transaction that failed; it stays in the inbox, and whoever waits for it stops waiting (null).</summary>
    public void NotAppliedYet(InboxEntry entry)
    {
        if (_waiters.TryRemove(entry.Id, out var waiter))
        {
            waiter.TrySetResult(null);
        }
    }

    /// <summary>The ids registered so far (the writer reads this before it takes rows, see <see cref="ForgetTakenElsewhere"/>).</summary>
    public long LastRegisteredId => Interlocked.Read(ref _lastRegisteredId);

    /// <summary>
    /// The writer took <paramref name="taken"/> (in id order) in a transaction that began after <paramref name="registeredBefore"/>
    /// was read: a row of this process registered by then and older than the first row taken (all of them, when none was) is no
    /// longer in the inbox — another replica's writer applied it (PostgreSQL). Its waiter gets null.
    /// </summary>
    public void ForgetTakenElsewhere(IReadOnlyList<InboxEntry> taken, long registeredBefore)
    {
        var below = taken.Count > 0 ? Math.Min(taken[0].Id, registeredBefore + 1) : registeredBefore + 1;
        lock (_lock)
        {
            foreach (var id in _waiters.Keys.Where(id => id < below).ToList())
            {
                if (_waiters.TryRemove(id, out var waiter))
                {
                    waiter.TrySetResult(null);
                }
            }
        }
    }

    /// <summary>A reading of the store's backlog (it also counts rows other replicas appended and applied).</summary>
    public void Observed(InboxBacklog backlog) => Interlocked.Exchange(ref _backlogAlerts, backlog.Alerts);
}
