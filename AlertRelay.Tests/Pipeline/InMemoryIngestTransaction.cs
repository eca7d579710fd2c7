using AlertRelay.Core.Alerts;
using AlertRelay.Core.Dedup;
using AlertRelay.Core.Heartbeats;
using AlertRelay.Core.Ingest;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Pipeline;

namespace AlertRelay.Tests.Pipeline;

/// <summary>
/// An ingest transaction held in memory, for planning without a database: it answers the chain's reads from what it
/// was given and from the plans persisted so far, and keeps the notifications queued for the test to read.
/// </summary>
internal sealed class InMemoryIngestTransaction : IIngestTransaction
{
    private readonly Dictionary<long, Row> _rows = [];
    private readonly Dictionary<long, List<NotificationTarget>> _notified = [];
    private long _nextId = 1;

    public List<QueuedNotification> Queued { get; } = [];

    /// <summary>The pending unmutes (table <c>muted_receivers</c>): receiver muted since when, per occurrence.</summary>
    public Dictionary<(long OccurrenceId, string Receiver), long> MutedReceivers { get; } = [];

    /// <summary>Acknowledgements set by the test, per occurrence (null: no expiry).</summary>
    public Dictionary<long, long?> Acked { get; } = [];

    private sealed record Row(Alert Alert, OccurrenceState State, long? InhibitedBy, long? ReopenDueMs = null);

    public long NextOccurrenceId() => _nextId++;

    public OccurrenceState? Find(Fingerprint fingerprint, long startsAtMs) =>
        _rows.Values.FirstOrDefault(r => r.Alert.Fingerprint == fingerprint && UnixMillis.From(r.Alert.StartsAt) == startsAtMs)?.State;

    public OccurrenceState? Load(long id) => _rows.TryGetValue(id, out var row) ? row.State : null;

    public LabelSet LoadAnnotations(long id) => _rows.TryGetValue(id, out var row) ? row.Alert.Annotations : LabelSet.Empty;

    public IReadOnlyList<NotificationTarget> NotifiedTargets(long occurrenceId) => _notified.GetValueOrDefault(occurrenceId) ?? [];

    public void LoadIdentities(IdentityIndex index)
    {
        foreach (var (id, row) in _rows)
        {
            index.AddStored(row.Alert.Fingerprint, UnixMillis.From(row.Alert.StartsAt), id);
        }

        index.MarkLoaded();
    }

    public void LoadIdentities(IdentityIndex index, IReadOnlyCollection<Fingerprint> fingerprints)
    {
        foreach (var fingerprint in fingerprints)
        {
            index.Drop(fingerprint);
        }

        foreach (var (id, row) in _rows.Where(r => fingerprints.Contains(r.Value.Alert.Fingerprint)))
        {
            index.AddStored(row.Alert.Fingerprint, UnixMillis.From(row.Alert.StartsAt), id);
        }
    }

    /// <summary>What the test says another writer changed (none unless set).</summary>
    public IReadOnlyCollection<Fingerprint>? Elsewhere { get; set; } = [];

    public IReadOnlyCollection<Fingerprint>? ChangedElsewhere() => Elsewhere;

    public IReadOnlyList<FiringOccurrence> LoadFiring() =>
        _rows.Where(r => r.Value.State.Status == AlertStatus.Firing)
            .Select(r => new FiringOccurrence(r.Key, r.Value.Alert.Fingerprint, r.Value.Alert.Labels, r.Value.InhibitedBy)).ToList();

    public IReadOnlyList<ReopenCandidate> DueReopens(long nowMs) =>
        _rows.Where(r => r.Value.ReopenDueMs <= nowMs).OrderBy(r => r.Value.ReopenDueMs).ThenBy(r => r.Key)
            .Select(r => new ReopenCandidate(r.Key, r.Value.Alert with { Status = AlertStatus.Firing, EndsAt = null })).ToList();

    public IReadOnlyList<PendingUnmute> LoadMutedReceivers() =>
        MutedReceivers.Where(m => _rows.ContainsKey(m.Key.OccurrenceId)).OrderBy(m => m.Key.OccurrenceId).ThenBy(m => m.Key.Receiver, StringComparer.Ordinal)
            .Select(m => (m, Row: _rows[m.Key.OccurrenceId]))
            .Select(x => new PendingUnmute(x.m.Key.OccurrenceId, x.m.Key.Receiver, x.m.Value, x.Row.Alert.Labels, UnixMillis.From(x.Row.Alert.StartsAt),
                x.Row.State.Status, x.Row.InhibitedBy, Acked.ContainsKey(x.m.Key.OccurrenceId), Acked.GetValueOrDefault(x.m.Key.OccurrenceId), null))
            .ToList();

    public void Persist(AlertPlan plan)
    {
        if (plan.Insert is { } insert)
        {
            _rows[insert.Id] = new Row(insert.Alert,
                new OccurrenceState(insert.Id, insert.Alert.Status, OccurrenceState.HashAnnotations(insert.Alert.Annotations), insert.EndsAtMs), null);
        }

        if (plan.Update is { } update)
        {
            var row = _rows[update.Id];
            _rows[update.Id] = row with { Alert = update.AnnotationsJson is null ? row.Alert : row.Alert with { Annotations = plan.Alert.Annotations },
                State = row.State with { Status = update.Status, EndsAtMs = update.EndsAtMs, ReopenPending = update.ReopenPending },
                ReopenDueMs = update.ReopenPending ? update.ReopenDueMs ?? row.ReopenDueMs : null };
        }

        foreach (var superseded in plan.Superseded)
        {
            _rows[superseded.Id] = _rows[superseded.Id] with { State = _rows[superseded.Id].State with { Status = AlertStatus.Resolved } };
        }

        foreach (var inhibition in plan.Inhibitions)
        {
            _rows[inhibition.TargetId] = _rows[inhibition.TargetId] with { InhibitedBy = inhibition.SourceId };
        }

        foreach (var change in plan.MutedReceiversOrEmpty)
        {
            if (change.Pending)
            {
                MutedReceivers.TryAdd((change.OccurrenceId, change.Receiver!), plan.NowMs);
            }
            else
            {
                foreach (var key in MutedReceivers.Keys.Where(k => k.OccurrenceId == change.OccurrenceId && (change.Receiver is null || k.Receiver == change.Receiver)).ToList())
                {
                    MutedReceivers.Remove(key);
                }
            }
        }
    }

    public void Persist(IReadOnlyList<QueuedNotification> notifications, long nowMs)
    {
        Queued.AddRange(notifications);
        foreach (var notification in notifications.Where(n => n.Kind != NotificationKind.Resolved))
        {
            foreach (var id in notification.OccurrenceIds)
            {
                (_notified.TryGetValue(id, out var targets) ? targets : _notified[id] = []).Add(notification.Target);
            }
        }
    }

    public Dictionary<string, HeartbeatState> Heartbeats { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<HeartbeatState> LoadHeartbeats() => Heartbeats.Values.OrderBy(h => h.Name, StringComparer.Ordinal).ToList();

    public void RecordHeartbeatsSeen(IReadOnlyCollection<string> heartbeats, long nowMs)
    {
        foreach (var name in heartbeats)
        {
            var state = Heartbeats.GetValueOrDefault(name) ?? HeartbeatState.Unknown(name);
            Heartbeats[name] = state with { LastSeenMs = Math.Max(state.LastSeenMs ?? nowMs, nowMs) };
        }
    }

    /// <summary>The chain's tests drive it message by message: the inbox is always empty here.</summary>
    public IReadOnlyList<InboxEntry> TakeInbox(int maxRows) => [];

    public byte[] LoadInboxBody(long id) => throw new InvalidOperationException($"no inbox row {id} in memory");

    public void CompleteInbox(IReadOnlyList<long> ids) => Assert.Empty(ids);

    public void FailInbox(long id, string error, long nowMs) => throw new InvalidOperationException($"no inbox row {id} in memory");

    public void SaveHeartbeat(string heartbeat, long? missingStartsAtMs, long nowMs) =>
        Heartbeats[heartbeat] = (Heartbeats.GetValueOrDefault(heartbeat) ?? HeartbeatState.Unknown(heartbeat)) with { MissingStartsAtMs = missingStartsAtMs };

    public void BeginMessage()
    {
    }

    public void EndMessage()
    {
    }

    public void UndoMessage() => throw new InvalidOperationException("nothing fails in memory");

    public void Commit()
    {
    }

    public void Dispose()
    {
    }
}
