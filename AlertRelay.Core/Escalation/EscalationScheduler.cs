using System.Diagnostics;
using System.Text.Json;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.History;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Pipeline;
using AlertRelay.Core.Schedules;
using Microsoft.Extensions.Logging;

namespace AlertRelay.Core.Escalation;

/// <summary>
/// Runs due escalation steps. Each pass takes the ladders whose next step has come, asks <see cref="EscalationStage.Decide"/>
/// what to do, and has the store record the steps it ran, their events, notifications and the next due time in one
/// transaction — so a restart neither loses a step nor fires one twice. Muted (inhibited) alerts wait until they are released.
/// The same pass sends the policy's reminders (<c>repeat</c>, decided by <see cref="ReminderStage.Decide"/>): a due reminder is queued
/// for every target told the occurrence fires, in the transaction that advances the reminder state, so each is queued once even with
/// several replicas; after downtime one reminder stands for all the missed ones.
/// </summary>
public sealed class EscalationScheduler(
    IEscalationStore store, RelayConfigProvider config, OutboxSignal outboxSignal, TimeProvider time, ILogger<EscalationScheduler> logger,
    EscalationMetrics? metrics = null)
{
    private readonly EscalationMetrics _metrics = metrics ?? new EscalationMetrics(AlertRelayMeter.Unexported());

    private const int MaxPerPass = 500;

    /// <summary>One pass; returns the number of steps run plus reminders sent (the timeline events it wrote).</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var nowMs = UnixMillis.From(now);
        var current = config.Current;

        // Look before taking the write lock: an idle pass must not make the ingest writer wait.
        if (!await store.AnyDueAsync(nowMs, cancellationToken))
        {
            return 0;
        }

        var policies = new Dictionary<long, string>();
        var plans = await store.RunDueAsync(nowMs, MaxPerPass, due =>
        {
            policies[due.OccurrenceId] = due.Policy;
            return Plan(due, current, now);
        }, cancellationToken);
        if (plans.Any(p => p.Notifications.Count > 0 || p.Reminders.SendsNow))
        {
            outboxSignal.Wake();
        }

        // Counted once committed: a pass that failed queued nothing.
        foreach (var plan in plans.Where(p => p.Reminders.SendsNow))
        {
            _metrics.RemindersQueued.Add(1, new TagList { { "policy", policies[plan.OccurrenceId] } });
        }

        return plans.Sum(p => p.Events.Count(e => e.Kind != EventKinds.Paged)); // a page is part of its step, not one more
    }

    /// <summary>What to do with one due ladder now.</summary>
    private EscalationPlan Plan(DueEscalation due, RelayConfig current, DateTimeOffset now)
    {
        var nowMs = UnixMillis.From(now);
        var policy = current.Escalations.FirstOrDefault(p => p.Name == due.Policy);
        if (policy is null)
        {
            logger.LogWarning("Escalation policy {policy} of alert {id} is no longer configured; its escalation stops", due.Policy, due.OccurrenceId);
            return EscalationPlan.Stop(due);
        }

        if (due.InhibitedBy is not null && due.Firing)
        {
            return EscalationPlan.Stop(due); // a muted alert does not page anyone; releasing it sets next_due again
        }

        var decision = EscalationStage.Decide(
            new EscalationState(policy, UnixMillis.ToDateTimeOffset(due.FiringSinceMs), due.StepsDone, due.Firing, due.Ack,
                due.SilencedUntilMs is { } silencedMs ? UnixMillis.ToDateTimeOffset(silencedMs) : null), now);
        var severity = due.Severity;
        var events = new List<TimelineEvent>();
        var notifications = new List<QueuedNotification>();
        foreach (var (index, step) in decision.Steps)
        {
            var previousSeverity = severity;
            severity = step.SetSeverity ?? severity;
            events.Add(new TimelineEvent(due.OccurrenceId, EventKinds.Escalated, JsonSerializer.Serialize(new
            {
                policy = policy.Name,
                step = index,
                after = PrometheusDuration.Format(step.After),
                notify = step.Notify,
                setSeverity = step.SetSeverity,
                previousSeverity = step.SetSeverity is null ? null : previousSeverity,
            }, HistoryJson.Options)));
            if (step.Notify is { } receiver)
            {
                // The step's notification commits with the step itself: never one without the other. oncall:<schedule> pages whoever is on call now.
                var stepName = $"{policy.Name} step {index}";
                var paged = OncallPaging.Resolve(current, receiver, now);
                notifications.AddRange(paged.Targets.Select(target =>
                    new QueuedNotification(target, NotificationKind.Escalation, [due.OccurrenceId], stepName, paged.Page)));
                events.AddRange(OncallPaging.Events(paged.Targets.Select(t => (t, paged.Page)), stepName).Select(e =>
                    new TimelineEvent(due.OccurrenceId, EventKinds.Paged, JsonSerializer.Serialize(e, HistoryJson.Options))));
            }

            _metrics.StepsRun.Add(1, new TagList { { "policy", policy.Name } });
            logger.LogInformation("Escalated alert {id} ({policy} step {step}): notify {receiver}, severity {severity}",
                due.OccurrenceId, policy.Name, index, step.Notify ?? "-", severity);
        }

        var stepsDone = decision.Steps.Count > 0 ? decision.Steps[^1].Index + 1 : due.StepsDone;
        var reminders = Remind(policy, due, now, events);
        // Look again at whichever comes first: the next step or the next reminder (or the end of what pauses them).
        long? nextDueMs = Min(decision.NextCheckAt, reminders.CheckAt) is { } next ? UnixMillis.From(next) : null;
        return new EscalationPlan(due.OccurrenceId, stepsDone, nextDueMs, severity == due.Severity ? null : severity, events, notifications,
            reminders.Plan);
    }

    /// <summary>The ladder's reminders now: a due one adds its <c>reminded</c> event; the store queues it to the announced targets.</summary>
    private (ReminderPlan Plan, DateTimeOffset? CheckAt) Remind(EscalationPolicy policy, DueEscalation due, DateTimeOffset now, List<TimelineEvent> events)
    {
        var firingSince = UnixMillis.ToDateTimeOffset(due.FiringSinceMs);
        var state = new ReminderState(due.Firing, firingSince, due.RemindersSent,
            due.NextReminderMs is { } nextMs ? UnixMillis.ToDateTimeOffset(nextMs) : null, due.Ack,
            due.SilencedUntilMs is { } untilMs ? UnixMillis.ToDateTimeOffset(untilMs) : null);
        var decision = ReminderStage.Decide(policy.Repeat, state, now);
        long? nextReminderMs = decision.NextAt is { } at ? UnixMillis.From(at) : null;
        if (decision.Send is not { } number)
        {
            return (new ReminderPlan(due.RemindersSent, nextReminderMs, null), decision.CheckAt);
        }

        // Whole minutes: the pass runs a moment after the due time, and "45m" reads better than "45m1s".
        var elapsed = now - firingSince;
        var firingFor = NotificationText.Duration(elapsed >= TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(Math.Floor(elapsed.TotalMinutes)) : elapsed);
        events.Add(new TimelineEvent(due.OccurrenceId, EventKinds.Reminded, JsonSerializer.Serialize(new
        {
            policy = policy.Name,
            reminder = number,
            firingFor,
            next = decision.NextAt is { } following ? NotificationText.Time(following) : null,
        }, HistoryJson.Options)));
        logger.LogInformation("Reminder {reminder} of alert {id} ({policy}): firing for {firingFor}, unacknowledged", number, due.OccurrenceId, policy.Name, firingFor);
        return (new ReminderPlan(number, nextReminderMs, ReminderPlan.DetailOf(number, firingFor)), decision.CheckAt);
    }

    private static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;
}
