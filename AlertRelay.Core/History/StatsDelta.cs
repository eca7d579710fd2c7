namespace AlertRelay.Core.History;

/// <summary>
/// The changes one write transaction makes to the hourly rollup (<c>alert_stats_hourly</c>), kept in memory as it writes
/// occurrences and written once, summed per row, just before it commits (one multi-row upsert rather than one per occurrence).
/// Engine-neutral: each store records every occurrence row it inserts or changes (before and after, as stored) and applies the
/// <see cref="Buckets"/> with its own SQL. A message taken back takes its changes back (<see cref="TruncateTo"/>).
/// </summary>
internal sealed class StatsDelta
{
    private readonly List<(StatsFacts? Before, StatsFacts? After)> _changes = [];

    /// <summary>Changes recorded so far: a mark to <see cref="TruncateTo"/>, and the index the next <see cref="Add"/> gets.</summary>
    public int Count => _changes.Count;

    /// <summary>Records a row inserted (<paramref name="before"/> null) or changed. Returns its index, for <see cref="Set"/>.</summary>
    public int Add(StatsFacts? before, StatsFacts? after)
    {
        _changes.Add((before, after));
        return _changes.Count - 1;
    }

    /// <summary>Fills in a change recorded before its row was known (PostgreSQL reads the row when its statement is sent).</summary>
    public void Set(int index, StatsFacts? before, StatsFacts? after) => _changes[index] = (before, after);

    /// <summary>Forgets the changes from <paramref name="count"/> on (a message taken back).</summary>
    public void TruncateTo(int count) => _changes.RemoveRange(count, _changes.Count - count);

    /// <summary>
    /// The net change per rollup row, without the rows that net to nothing, in key order (the order every writer locks them in,
    /// so that two transactions upserting several rows never wait on each other crosswise).
    /// </summary>
    public List<StatsBucket> Buckets()
    {
        var sums = new Dictionary<(long Hour, string Status, string Severity), (long Occurrences, long ResolveMs)>();
        foreach (var (before, after) in _changes)
        {
            if (before == after)
            {
                continue;
            }

            if (before is { } b)
            {
                Sum(sums, b, -1);
            }

            if (after is { } a)
            {
                Sum(sums, a, 1);
            }
        }

        return sums.Where(p => p.Value != (0, 0))
            .OrderBy(p => p.Key.Hour).ThenBy(p => p.Key.Status, StringComparer.Ordinal).ThenBy(p => p.Key.Severity, StringComparer.Ordinal)
            .Select(p => new StatsBucket(p.Key.Hour, p.Key.Status, p.Key.Severity, p.Value.Occurrences, p.Value.ResolveMs))
            .ToList();
    }

    private static void Sum(Dictionary<(long, string, string), (long Occurrences, long ResolveMs)> sums, StatsFacts row, int sign)
    {
        var key = (row.Hour, row.Status, row.Severity);
        var (occurrences, resolveMs) = sums.GetValueOrDefault(key);
        sums[key] = (occurrences + sign, resolveMs + sign * row.ResolveMs);
    }
}
