using AlertRelay.Core.Alerts;
using AlertRelay.Core.Dedup;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Pipeline;
using Microsoft.Data.Sqlite;

namespace AlertRelay.Core.History;

/// <summary>
/// One ingest batch on SQLite: reads for the chain, and its plans written with the writer's prepared statements. The hourly
/// stats rollup follows the occurrences it writes in memory (<see cref="StatsDelta"/>), written once before the commit.
/// </summary>
internal sealed partial class SqliteIngestTransaction : IIngestTransaction
{
    private const string MessageSavepoint = "message";

    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private readonly AlertWriter _writer;
    private readonly Lazy<SqliteConnection> _inbox;
    private readonly SqliteInboxMark _inboxMark;
    private readonly StatsDelta _stats = new();
    private int _messageStats; // the rollup changes recorded before the current message
    private long? _nextId;

    public SqliteIngestTransaction(SqliteConnection connection, AlertWriter writer, bool write, Lazy<SqliteConnection> inbox, SqliteInboxMark inboxMark)
    {
        _connection = connection;
        _writer = writer;
        _inbox = inbox;
        _inboxMark = inboxMark;
        _transaction = connection.BeginTransaction(deferred: !write);
        writer.Enlist(_transaction);
    }

    public long NextOccurrenceId()
    {
        // The writer is the only one inserting occurrences: the next id is known once read (reset when a message is taken back).
        var id = _nextId ?? _writer.MaxOccurrenceId() + 1;
        _nextId = id + 1;
        return id;
    }

    public OccurrenceState? Find(Fingerprint fingerprint, long startsAtMs) => _writer.Find(fingerprint, startsAtMs);

    public OccurrenceState? Load(long id) => _writer.Load(id);

    public LabelSet LoadAnnotations(long id) => _writer.LoadAnnotations(id);

    public IReadOnlyList<NotificationTarget> NotifiedTargets(long occurrenceId) => OutboxRows.NotifiedTargets(_connection, _transaction, occurrenceId);

    public void LoadIdentities(IdentityIndex index) => _writer.LoadIdentities(index);

    public void LoadIdentities(IdentityIndex index, IReadOnlyCollection<Fingerprint> fingerprints) => _writer.LoadIdentities(index, fingerprints);

    /// <summary>Nothing: one process writes a SQLite history (the ingest writer), so nobody else changes what it holds.</summary>
    public IReadOnlyCollection<Fingerprint>? ChangedElsewhere() => [];

    public IReadOnlyList<FiringOccurrence> LoadFiring() => _writer.LoadFiring();

    public IReadOnlyList<ReopenCandidate> DueReopens(long nowMs) => _writer.DueReopens(nowMs);

    public void Persist(AlertPlan plan)
    {
        if (plan.IsEmpty)
        {
            return;
        }

        var nowMs = plan.NowMs;
        if (plan.Insert is { } insert)
        {
            if (!_writer.InsertOccurrence(insert.Id, insert.Alert, insert.Context, insert.EndsAtMs, insert.Receivers.Json, nowMs))
            {
                throw new OccurrenceConflictException($"occurrence {insert.Alert.Fingerprint}@{UnixMillis.From(insert.Alert.StartsAt)} (id {insert.Id}) is already stored");
            }

            _stats.Add(null, new StatsFacts(UnixMillis.From(insert.Alert.StartsAt), insert.Alert.Status.ToText(), insert.Alert.Severity, insert.EndsAtMs));
        }

        foreach (var superseded in plan.SupersededOrEmpty)
        {
            var firing = _writer.ResolveSuperseded(superseded.Id, superseded.EndsAtMs, nowMs)
                         ?? throw new OccurrenceConflictException($"occurrence {superseded.Id} is no longer firing");
            _stats.Add(firing, firing with { Status = AlertStatusText.Resolved, EndsAtMs = superseded.EndsAtMs });
        }

        if (plan.Update is { } update)
        {
            // Read as stored, not as the chain remembers it: the rollup must subtract exactly what it counted.
            if (_writer.LoadStatsFacts(update.Id) is not { } stored
                || !_writer.UpdateOccurrence(update.Id, update.Status, update.EndsAtMs, update.AnnotationsJson, nowMs, update.ReopenPending, update.ReopenDueMs))
            {
                throw new OccurrenceConflictException($"occurrence {update.Id} is gone");
            }

            _stats.Add(stored, stored with { Status = update.Status.ToText(), EndsAtMs = update.EndsAtMs });
        }

        foreach (var e in plan.EventsOrEmpty)
        {
            _writer.AddEventJson(e.OccurrenceId, e.Kind, nowMs, e.DetailJson);
        }

        foreach (var inhibition in plan.InhibitionsOrEmpty)
        {
            _writer.SetInhibitedBy(inhibition.TargetId, inhibition.SourceId, nowMs);
        }

        foreach (var escalation in plan.EscalationsOrEmpty)
        {
            if (escalation.StartPolicy is { } policy)
            {
                _writer.StartEscalation(escalation.OccurrenceId, policy, escalation.FiringSinceMs, escalation.NextDueMs, nowMs, escalation.NextReminderMs);
            }
            else
            {
                _writer.SetEscalationDue(escalation.OccurrenceId, escalation.NextDueMs, nowMs);
            }
        }

        PersistMutedReceivers(plan);
    }

    public void Persist(IReadOnlyList<QueuedNotification> notifications, long nowMs)
    {
        foreach (var n in notifications)
        {
            OutboxRows.Enqueue(_connection, _transaction, n.Target, n.Kind, n.OccurrenceIds, n.Detail, nowMs, n.Page);
        }
    }

    public void BeginMessage()
    {
        _transaction.Save(MessageSavepoint);
        _messageStats = _stats.Count;
    }

    public void EndMessage() => _transaction.Release(MessageSavepoint);

    public void UndoMessage()
    {
        _transaction.Rollback(MessageSavepoint);
        _transaction.Release(MessageSavepoint);
        _stats.TruncateTo(_messageStats);
        _nextId = null;
    }

    public void Commit()
    {
        SqliteStatsRollup.Apply(_connection, _transaction, _stats);
        _transaction.Commit();
        PublishInboxMark();
    }

    public void Dispose() => _transaction.Dispose();
}
