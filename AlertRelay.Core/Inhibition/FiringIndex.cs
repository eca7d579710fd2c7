using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.Inhibition;

/// <summary>
/// The firing occurrences, in memory, owned by the ingest state: inhibition is decided against it without
/// scanning the table. Filled from the store by <see cref="Pipeline.IngestState"/>. Who mutes whom is
/// indexed both ways, so a resolve finds the targets it releases without a scan.
/// </summary>
public sealed class FiringIndex
{
    private readonly Dictionary<long, Entry> _entries = [];
    private readonly Dictionary<long, HashSet<long>> _mutedBySource = [];

    public int Count => _entries.Count;

    public IEnumerable<InhibitionSource> Sources => _entries.Values.Select(e => e.Source);

    /// <summary>The firing occurrences muted by <paramref name="sourceId"/>.</summary>
    public IReadOnlyList<MutedTarget> MutedBy(long sourceId) =>
        _mutedBySource.TryGetValue(sourceId, out var targets)
            ? targets.Where(_entries.ContainsKey).Select(id => new MutedTarget(id, _entries[id].Source.Labels, sourceId)).ToList()
            : [];

    /// <summary>The firing occurrences that nothing mutes.</summary>
    public IEnumerable<InhibitionSource> Unmuted => _entries.Values.Where(e => e.InhibitedBy is null).Select(e => e.Source).ToList();

    public void Add(long id, Fingerprint fingerprint, LabelSet labels, long? inhibitedBy = null)
    {
        Remove(id);
        _entries[id] = new Entry(new InhibitionSource(id, fingerprint, labels), null);
        SetInhibitedBy(id, inhibitedBy);
    }

    public void Remove(long id)
    {
        if (_entries.Remove(id, out var entry) && entry.InhibitedBy is { } source)
        {
            Unlink(source, id);
        }
    }

    public bool Contains(long id) => _entries.ContainsKey(id);

    public long? InhibitedBy(long id) => _entries.TryGetValue(id, out var entry) ? entry.InhibitedBy : null;

    public void SetInhibitedBy(long id, long? sourceId)
    {
        if (!_entries.TryGetValue(id, out var entry))
        {
            return;
        }

        if (entry.InhibitedBy is { } previous)
        {
            Unlink(previous, id);
        }

        _entries[id] = entry with { InhibitedBy = sourceId };
        if (sourceId is { } source)
        {
            if (!_mutedBySource.TryGetValue(source, out var targets))
            {
                _mutedBySource[source] = targets = [];
            }

            targets.Add(id);
        }
    }

    private void Unlink(long source, long target)
    {
        if (_mutedBySource.TryGetValue(source, out var targets) && targets.Remove(target) && targets.Count == 0)
        {
            _mutedBySource.Remove(source);
        }
    }

    private sealed record Entry(InhibitionSource Source, long? InhibitedBy);
}
