using AlertRelay.Core.Alerts;
using AlertRelay.Core.Inhibition;

namespace AlertRelay.Core.Ingest;

/// <summary>
/// The firing occurrences, in memory, owned by the ingest writer: inhibition is decided against it without
/// scanning the table. Loaded from the store when the writer (re)opens its connection.
/// </summary>
public sealed class FiringIndex
{
    private readonly Dictionary<long, Entry> _entries = [];

    public int Count => _entries.Count;

    public IEnumerable<InhibitionSource> Sources => _entries.Values.Select(e => e.Source);

    /// <summary>The firing occurrences muted by <paramref name="sourceId"/>.</summary>
    public IEnumerable<MutedTarget> MutedBy(long sourceId) =>
        _entries.Values.Where(e => e.InhibitedBy == sourceId).Select(e => new MutedTarget(e.Source.OccurrenceId, e.Source.Labels, sourceId)).ToList();

    /// <summary>The firing occurrences that nothing mutes.</summary>
    public IEnumerable<InhibitionSource> Unmuted => _entries.Values.Where(e => e.InhibitedBy is null).Select(e => e.Source).ToList();

    public void Add(long id, Fingerprint fingerprint, LabelSet labels, long? inhibitedBy = null) =>
        _entries[id] = new Entry(new InhibitionSource(id, fingerprint, labels), inhibitedBy);

    public void Remove(long id) => _entries.Remove(id);

    public bool Contains(long id) => _entries.ContainsKey(id);

    public long? InhibitedBy(long id) => _entries.TryGetValue(id, out var entry) ? entry.InhibitedBy : null;

    public void SetInhibitedBy(long id, long? sourceId)
    {
        if (_entries.TryGetValue(id, out var entry))
        {
            _entries[id] = entry with { InhibitedBy = sourceId };
        }
    }

    private sealed record Entry(InhibitionSource Source, long? InhibitedBy);
}
