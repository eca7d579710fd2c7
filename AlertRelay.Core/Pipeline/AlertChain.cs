using System.Text.Json;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Dedup;
using AlertRelay.Core.Escalation;
using AlertRelay.Core.History;
using AlertRelay.Core.Ingest;
using AlertRelay.Core.Inhibition;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Routing;
using AlertRelay.Core.Schedules;
using AlertRelay.Core.TimeIntervals;

namespace AlertRelay.Core.Pipeline;

/// <summary>
/// The ingest chain, composed in one place: <b>Ingest → Dedup → Routing → Inhibition → Escalation → Notify → History</b>.
/// For each alert of a webhook message it asks the pure stages what changes (<see cref="DedupStage"/>,
/// <see cref="RoutingStage"/>, <see cref="InhibitionStage"/> through the <see cref="InhibitionTracker"/>,
/// <see cref="EscalationStage"/>, <see cref="NotifyStage"/>) and writes their answers into an <see cref="AlertPlan"/>,
/// which the store persists (<see cref="IIngestTransaction.Persist(AlertPlan)"/>); the message's notifications go to the
/// outbox in the same transaction. It reads and updates the in-memory <see cref="IngestState"/> as it plans. One per batch.
/// With <paramref name="reopenGraceMs"/> above 0 a resolved occurrence arriving firing is a re-open candidate, confirmed by
/// <see cref="ConfirmDueReopens"/> once the grace has passed without a resolve.
/// </summary>
public sealed partial class AlertChain(RelayConfig config, IngestState state, IIngestTransaction history, long nowMs, int digestThreshold, long reopenGraceMs = 0)
{
    private readonly InhibitionTracker _inhibition = new(config.InhibitRules, state.Firing);
    private RoutedReceivers? _route;

    /// <summary>Applies one webhook message: plans and persists every alert, then queues the notifications they cause; <paramref name="plans"/> receives every plan.</summary>
    public IngestResult Apply(WebhookMessage message, List<AlertPlan>? plans = null)
    {
        var context = AlertContext.Of(message);
        var receivedJson = JsonSerializer.Serialize(new { context.Receiver, context.GroupKey }, HistoryJson.Options);
        var notifications = new List<PlannedNotification>();
        int created = 0, changed = 0;
        HashSet<string>? heartbeats = null;
        foreach (var alert in message.Alerts)
        {
            if (config.Heartbeats.Count > 0)
            {
                SeenHeartbeats(alert, ref heartbeats); // before dedup: a re-send of the Watchdog is a heartbeat too
            }

            var plan = Plan(alert, context, receivedJson);          // Dedup → Routing → Inhibition → Escalation → Notify
            plans?.Add(plan);
            if (plan.IsEmpty)
            {
                continue; // a re-send, a group re-notification or an HA twin
            }

            history.Persist(plan);                                   // History: the occurrence, its events, mutes and ladder
            notifications.AddRange(plan.NotificationsOrEmpty);
            if (plan.Insert is not null)
            {
                created++;
            }
            else
            {
                changed++;
            }
        }

        if (heartbeats is not null)
        {
            history.RecordHeartbeatsSeen(heartbeats, nowMs);
        }

        history.Persist(NotifyStage.Queue(notifications, digestThreshold), nowMs); // Notify → History: the outbox, same transaction
        return new IngestResult(message.Alerts.Count, created, changed, message.Alerts.Count - created - changed);
    }

    /// <summary>
    /// Confirms or cancels the re-open candidates whose grace has ended (no webhook needed: the writer runs it on a tick), then
    /// queues the notifications the confirmed ones cause; <paramref name="plans"/> receives every plan.
    /// </summary>
    public IngestResult ConfirmDueReopens(List<AlertPlan>? plans = null)
    {
        var notifications = new List<PlannedNotification>();
        var candidates = history.DueReopens(nowMs);
        var changed = 0;
        foreach (var candidate in candidates)
        {
            var startsAtMs = UnixMillis.From(candidate.Alert.StartsAt);
            var stored = state.Lookup(history, candidate.Alert.Fingerprint, startsAtMs);
            var plan = new AlertPlan(candidate.Alert, DedupStage.DecideDue(stored, startsAtMs), nowMs);
            plans?.Add(plan);
            if (plan.IsEmpty || stored.Existing is not { } existing)
            {
                continue;
            }

            Change(plan, stored, existing); // the same path as a re-open without a grace: inhibition, notification, escalation
            history.Persist(plan);
            notifications.AddRange(plan.NotificationsOrEmpty);
            changed++;
        }

        history.Persist(NotifyStage.Queue(notifications, digestThreshold), nowMs);
        return new IngestResult(candidates.Count, 0, changed, candidates.Count - changed);
    }

    /// <summary>Plans one alert against what the store holds for its identity.</summary>
    public AlertPlan Plan(Alert alert, AlertContext context, string receivedJson)
    {
        var stored = state.Lookup(history, alert.Fingerprint, UnixMillis.From(alert.StartsAt));
        var plan = new AlertPlan(alert, DedupStage.Decide(stored, alert, holdReopens: reopenGraceMs > 0), nowMs);
        if (plan.IsEmpty)
        {
            return plan; // a re-send, a group re-notification or an HA twin
        }

        if (stored.Existing is { } existing)
        {
            Change(plan, stored, existing);
        }
        else
        {
            Create(plan, stored, context, receivedJson);
        }

        return plan;
    }

    /// <summary>A first copy of an occurrence: routed and stored; a re-fire closes the fingerprint's older occurrences.</summary>
    private void Create(AlertPlan plan, StoredIdentity stored, AlertContext context, string receivedJson)
    {
        var (alert, change) = (plan.Alert, plan.Change);
        var startsAtMs = UnixMillis.From(alert.StartsAt);
        var endsAtMs = EndOf(alert);
        if (change.HasFlag(AlertChange.Superseded))
        {
            // Stored ended when the newest occurrence started: history only, never notified nor escalated.
            alert = alert with { Status = AlertStatus.Resolved };
            endsAtMs = stored.LatestStartsAtMs!.Value;
        }

        _route = RoutedReceivers.Route(config.Route, alert.Labels, _route);
        var id = history.NextOccurrenceId();
        plan.Insert = new NewOccurrence(id, alert, context, endsAtMs, _route);
        if (change.HasFlag(AlertChange.Refired))
        {
            // A fingerprint has one active alert at a time: a new startsAt means the earlier ones ended (their resolve never came).
            foreach (var supersededId in FiringOccurrencesOf(alert.Fingerprint))
            {
                plan.Superseded.Add(new SupersededOccurrence(supersededId, startsAtMs));
                Event(plan, supersededId, EventKinds.Resolved, new { endsAt = Rfc3339.Format(alert.StartsAt), reason = "superseded", supersededBy = id });
                Resolved(plan, supersededId);
            }

            Event(plan, id, EventKinds.Refired,
                new { context.Receiver, context.GroupKey, previousStartsAt = Rfc3339.Format(UnixMillis.ToDateTimeOffset(stored.LatestStartsAtMs!.Value)) });
        }
        else
        {
            plan.Events.Add(new TimelineEvent(id, EventKinds.Received, receivedJson));
        }

        if (stored.LatestStartsAtMs is not { } latest || latest < startsAtMs)
        {
            state.Identities.SetLatest(alert.Fingerprint, IdentityEntry.Of(id, startsAtMs, alert.Status, endsAtMs, OccurrenceState.HashAnnotations(alert.Annotations)));
        }

        plan.Events.Add(new TimelineEvent(id, EventKinds.Routed, _route.RoutedEventJson));
        if (alert.Status == AlertStatus.Firing)
        {
            Opened(plan, id, alert, isNew: true, _route.Names);
        }

        if (change.HasFlag(AlertChange.Superseded))
        {
            state.Identities.TryGetLatest(alert.Fingerprint, out var newest);
            Event(plan, id, EventKinds.Resolved, new { endsAt = Format(endsAtMs!.Value), reason = "superseded", supersededBy = newest.Id });
        }
        else if (change.HasFlag(AlertChange.Resolved))
        {
            Event(plan, id, EventKinds.Resolved, new { endsAt = Format(endsAtMs!.Value) });
        }
    }

    /// <summary>A new copy of a stored occurrence: it resolves, fires again or changes its annotations.</summary>
    private void Change(AlertPlan plan, StoredIdentity stored, OccurrenceState existing)
    {
        var (alert, change) = (plan.Alert, plan.Change);
        var (status, endsAtMs, annotationsHash) = (existing.Status, existing.EndsAtMs, existing.AnnotationsHash);
        var (reopenPending, reopenDueMs) = (existing.ReopenPending, (long?)null); // a pending candidate keeps its stored due time
        string? annotations = null; // unchanged
        if (change.HasFlag(AlertChange.AnnotationsChanged))
        {
            annotations = alert.Annotations.ToJson();
            annotationsHash = OccurrenceState.HashAnnotations(alert.Annotations);
            Event(plan, existing.Id, EventKinds.AnnotationsChanged, new { previous = history.LoadAnnotations(existing.Id), current = alert.Annotations });
        }

        if (change.HasFlag(AlertChange.ReopenPending))
        {
            // Maybe a stale HA snapshot sent after another Alertmanager's resolve: stays resolved, confirmed if no resolve comes.
            (reopenPending, reopenDueMs) = (true, nowMs + reopenGraceMs);
            Event(plan, existing.Id, EventKinds.ReopenPending, new { confirmAt = Format(reopenDueMs.Value), previousEndsAt = FormatOrNull(existing.EndsAtMs) });
        }

        if (change.HasFlag(AlertChange.StaleCopy))
        {
            reopenPending = false;
            Event(plan, existing.Id, EventKinds.StaleCopy, alert.Status == AlertStatus.Resolved
                ? new { reason = "resolved", endsAt = FormatOrNull(EndOf(alert)) }
                : (object)new { reason = "superseded" });
        }

        if (change.HasFlag(AlertChange.Reopened))
        {
            (status, endsAtMs, reopenPending) = (AlertStatus.Firing, null, false);
            Event(plan, existing.Id, EventKinds.Reopened, existing.ReopenPending
                ? new { previousEndsAt = FormatOrNull(existing.EndsAtMs), confirmedAfterSeconds = reopenGraceMs / 1000 }
                : (object)new { previousEndsAt = FormatOrNull(existing.EndsAtMs) });
        }

        if (change.HasFlag(AlertChange.Resolved))
        {
            (status, endsAtMs) = (AlertStatus.Resolved, EndOf(alert));
            Event(plan, existing.Id, EventKinds.Resolved, new { endsAt = Format(endsAtMs!.Value) });
        }

        plan.Update = new OccurrenceUpdate(existing.Id, status, endsAtMs, annotations, reopenPending, reopenDueMs);
        var startsAtMs = UnixMillis.From(alert.StartsAt);
        if (stored.LatestStartsAtMs == startsAtMs)
        {
            state.Identities.SetLatest(alert.Fingerprint, IdentityEntry.Of(existing.Id, startsAtMs, status, endsAtMs, annotationsHash, reopenPending));
        }
        else if (status == AlertStatus.Resolved)
        {
            state.Identities.RemoveOlderFiring(alert.Fingerprint, existing.Id);
        }

        if (change.HasFlag(AlertChange.Reopened))
        {
            Opened(plan, existing.Id, alert, isNew: false);
        }
        else if (change.HasFlag(AlertChange.Resolved) && existing.Status == AlertStatus.Firing)
        {
            Resolved(plan, existing.Id);
        }
    }

    /// <summary>An occurrence fires (new, or re-opened with the same startsAt): inhibition, notifications, escalation.</summary>
    private void Opened(AlertPlan plan, long id, Alert alert, bool isNew, IReadOnlyList<string>? receivers = null)
    {
        foreach (var mute in _inhibition.Opened(id, alert.Fingerprint, alert.Labels))
        {
            Muted(plan, mute);
        }

        if (!_inhibition.IsMuted(id))
        {
            // A muted occurrence is notified if and when its source resolves first.
            Notify(plan, id, alert.Labels, receivers ?? Receivers(alert.Labels));
        }

        if (!isNew)
        {
            plan.Escalations.Add(EscalationChange.Resume(id, nowMs)); // the scheduler decides what is due
        }
        else if (EscalationStage.SelectPolicy(alert.Labels, config.Escalations) is { } policy)
        {
            long? nextDueMs = EscalationStage.NextDueAt(policy, alert.StartsAt, 0) is { } due ? UnixMillis.From(due) : null;
            long? reminderMs = ReminderStage.FirstAt(policy.Repeat, alert.StartsAt) is { } first ? UnixMillis.From(first) : null;
            // The scheduler looks at the ladder when its first step or its first reminder is due, whichever comes first.
            var lookMs = nextDueMs is null ? reminderMs : reminderMs is null ? nextDueMs : Math.Min(nextDueMs.Value, reminderMs.Value);
            plan.Escalations.Add(new EscalationChange(id, lookMs, policy.Name, UnixMillis.From(alert.StartsAt), reminderMs));
        }
    }

    /// <summary>A firing occurrence resolved: its ladder stops, who heard it fire hears it resolve, its targets are released.</summary>
    private void Resolved(AlertPlan plan, long id)
    {
        var release = _inhibition.Resolved(id);
        plan.Escalations.Add(EscalationChange.Stop(id));
        plan.MutedReceivers.Add(MutedReceiverChange.Clear(id)); // receivers muted by time intervals wait no longer
        Notify(plan, NotifyStage.Resolved(config, id, history.NotifiedTargets(id)));
        foreach (var target in release.Freed)
        {
            plan.Inhibitions.Add(new InhibitionChange(target.OccurrenceId, null));
            plan.Escalations.Add(EscalationChange.Resume(target.OccurrenceId, nowMs)); // muted alerts do not escalate; now they may
            Event(plan, target.OccurrenceId, EventKinds.Uninhibited, new { previousSource = id });
            Notify(plan, target.OccurrenceId, target.Labels, Receivers(target.Labels)); // still firing, now heard
        }

        foreach (var moved in release.Reattributed)
        {
            Muted(plan, new Mute(moved.Target.OccurrenceId, moved.Inhibition));
        }
    }

    private void Muted(AlertPlan plan, Mute mute)
    {
        var source = mute.Inhibition.Source;
        plan.Inhibitions.Add(new InhibitionChange(mute.TargetId, source.OccurrenceId));
        Event(plan, mute.TargetId, EventKinds.Inhibited,
            new { source = source.OccurrenceId, sourceFingerprint = source.Fingerprint.ToString(), rule = mute.Inhibition.Rule.Name });
    }

    /// <summary>The occurrences of a fingerprint still firing before a re-fire: the newest, then older ones a late copy left firing.</summary>
    private IEnumerable<long> FiringOccurrencesOf(Fingerprint fingerprint)
    {
        var older = state.Identities.TakeOlderFiring(fingerprint);
        var newest = state.Latest(history, fingerprint);
        return newest is { Status: AlertStatus.Firing } ? older.Prepend(newest.Value.Id) : older;
    }

    private IReadOnlyList<string> Receivers(LabelSet labels) => RoutingStage.Receivers(config.Route, labels).Distinct(StringComparer.Ordinal).ToList();

    private long? EndOf(Alert alert) => alert.Status == AlertStatus.Resolved ? UnixMillis.From(alert.EndsAt ?? UnixMillis.ToDateTimeOffset(nowMs)) : null;

    private static string Format(long ms) => Rfc3339.Format(UnixMillis.ToDateTimeOffset(ms));

    private static string? FormatOrNull(long? ms) => ms is { } value ? Format(value) : null;

    /// <summary>
    /// The occurrence fires and is heard: its receivers are notified, and whoever they page now is on its timeline (<c>paged</c>).
    /// Receivers whose routes' time intervals mute them now get a <c>muted</c> event instead, and wait for the mute to end
    /// (<see cref="NotifyUnmuted"/>).
    /// </summary>
    private void Notify(AlertPlan plan, long id, LabelSet labels, IReadOnlyList<string> receivers)
    {
        if (config.TimeIntervals.Count > 0) // without intervals no route can name one: the common case costs nothing
        {
            var selection = TimeMuteStage.Select(RoutingStage.Match(config.Route, labels), config.TimeIntervals, UnixMillis.ToDateTimeOffset(nowMs));
            foreach (var muted in selection.Muted)
            {
                Event(plan, id, EventKinds.Muted, new { muted.Receiver, muted.Decision.Intervals, reason = muted.Decision.ReasonText });
                plan.MutedReceivers.Add(MutedReceiverChange.Muted(id, muted.Receiver)); // notified by the unmute pass if still firing then
            }

            receivers = selection.Send;
        }

        var planned = NotifyStage.Firing(config, id, receivers, UnixMillis.ToDateTimeOffset(nowMs)).ToList();
        Notify(plan, planned);
        foreach (var paged in OncallPaging.Events(planned.Select(n => (n.Target, n.Page))))
        {
            Event(plan, id, EventKinds.Paged, paged);
        }
    }

    /// <summary>Adds the notifications to the plan, making its list only when there is one (most alerts of a storm have none).</summary>
    private static void Notify(AlertPlan plan, IEnumerable<PlannedNotification> notifications)
    {
        foreach (var notification in notifications)
        {
            plan.Notifications.Add(notification);
        }
    }

    private static void Event(AlertPlan plan, long id, string kind, object detail) =>
        plan.Events.Add(new TimelineEvent(id, kind, JsonSerializer.Serialize(detail, HistoryJson.Options)));
}
