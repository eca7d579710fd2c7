using AlertRelay.Core.Alerts;
using AlertRelay.Core.Dedup;
using AlertRelay.Core.Notify;

namespace AlertRelay.Core.Pipeline;

/// <summary>
/// What one incoming alert changes, as the chain's stages decided it: a plain value that the store persists in the
/// ingest transaction (<see cref="IIngestTransaction.Persist(AlertPlan)"/>) and that tests can read without a database.
/// Every list is in the order the changes were decided, which is the order they are written.
/// </summary>
public sealed class AlertPlan(Alert alert, AlertChange change, long nowMs)
{
    // Made on first use: most plans are duplicates (empty) or touch two or three of the lists.
    private List<SupersededOccurrence>? _superseded;
    private List<TimelineEvent>? _events;
    private List<InhibitionChange>? _inhibitions;
    private List<EscalationChange>? _escalations;
    private List<PlannedNotification>? _notifications;
    private List<MutedReceiverChange>? _mutedReceivers;

    /// <summary>The alert as received.</summary>
    public Alert Alert { get; } = alert;

    /// <summary>What deduplication found it changes; <see cref="AlertChange.None"/> for a duplicate (the plan is empty).</summary>
    public AlertChange Change { get; } = change;

    /// <summary>The time of the ingest batch: every row and event of the plan carries it.</summary>
    public long NowMs { get; } = nowMs;

    /// <summary>The occurrence to insert (a first copy), or null.</summary>
    public NewOccurrence? Insert { get; set; }

    /// <summary>The change of an existing occurrence's row (resolve, re-open, new annotations), or null.</summary>
    public OccurrenceUpdate? Update { get; set; }

    /// <summary>Older occurrences of the fingerprint still marked firing, closed because a newer one started.</summary>
    public List<SupersededOccurrence> Superseded => _superseded ??= [];

    /// <summary>Timeline events.</summary>
    public List<TimelineEvent> Events => _events ??= [];

    /// <summary>Occurrences muted by a source, or released (source null).</summary>
    public List<InhibitionChange> Inhibitions => _inhibitions ??= [];

    /// <summary>Escalation ladders started, resumed or stopped.</summary>
    public List<EscalationChange> Escalations => _escalations ??= [];

    /// <summary>Integrations to tell, before digests (<see cref="NotificationQueue"/> groups a message's notifications).</summary>
    public List<PlannedNotification> Notifications => _notifications ??= [];

    /// <summary>Receivers muted by time intervals, to notify when the mute ends (table <c>muted_receivers</c>), or no longer waiting.</summary>
    public List<MutedReceiverChange> MutedReceivers => _mutedReceivers ??= [];

    /// <summary>The lists as read by the store: empty ones are not made.</summary>
    public IReadOnlyList<SupersededOccurrence> SupersededOrEmpty => _superseded ?? (IReadOnlyList<SupersededOccurrence>)[];

    public IReadOnlyList<TimelineEvent> EventsOrEmpty => _events ?? (IReadOnlyList<TimelineEvent>)[];

    public IReadOnlyList<InhibitionChange> InhibitionsOrEmpty => _inhibitions ?? (IReadOnlyList<InhibitionChange>)[];

    public IReadOnlyList<EscalationChange> EscalationsOrEmpty => _escalations ?? (IReadOnlyList<EscalationChange>)[];

    public IReadOnlyList<PlannedNotification> NotificationsOrEmpty => _notifications ?? (IReadOnlyList<PlannedNotification>)[];

    public IReadOnlyList<MutedReceiverChange> MutedReceiversOrEmpty => _mutedReceivers ?? (IReadOnlyList<MutedReceiverChange>)[];

    /// <summary>Whether the plan stores anything.</summary>
    public bool IsEmpty => Change == AlertChange.None;
}
