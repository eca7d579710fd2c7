using System.Diagnostics;
using System.Text.Json;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.History;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Pipeline;
using Microsoft.Extensions.Logging;

namespace AlertRelay.Core.Escalation;

/// <summary>
/// Runs due escalation steps. Each pass takes the ladders whose next step has come, asks <see cref="EscalationStage.Decide"/>
/// what to do, and has the store record the steps it ran, their events, notifications and the next due time in one
/// transaction — so a restart neither loses a step nor fires one twice. Muted (inhibited) alerts wait until they are released.
/// </summary>
public sealed class EscalationScheduler(
    IEscalationStore store, RelayConfigProvider config, OutboxSignal outboxSignal, TimeProvider time, ILogger<EscalationScheduler> logger,
    EscalationMetrics? metrics = null)
{
    private readonly EscalationMetrics _metrics = metrics ?? new EscalationMetrics(AlertRelayMeter.Unexported());

    private const int MaxPerPass = 500;

    /// <summary>One pass; returns the number of steps run.</summary>
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

        var plans = await store.RunDueAsync(nowMs, MaxPerPass, due => Plan(due, current, now), cancellationToken);
        if (plans.Any(p => p.Notifications.Count > 0))
        {
            outboxSignal.Wake();
        }

        return plans.Sum(p => p.Events.Count);
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
            new EscalationState(policy, UnixMillis.ToDateTimeOffset(due.FiringSinceMs), due.StepsDone, due.Firing, due.Ack), now);
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
                // The step's notification commits with the step itself: never one without the other.
                notifications.AddRange(NotificationTarget.Of(current.FindReceiver(receiver)).Select(target =>
                    new QueuedNotification(target, NotificationKind.Escalation, [due.OccurrenceId], $"{policy.Name} step {index}")));
            }

            _metrics.StepsRun.Add(1, new TagList { { "policy", policy.Name } });
            logger.LogInformation("Escalated alert {id} ({policy} step {step}): notify {receiver}, severity {severity}",
                due.OccurrenceId, policy.Name, index, step.Notify ?? "-", severity);
        }

        var stepsDone = decision.Steps.Count > 0 ? decision.Steps[^1].Index + 1 : due.StepsDone;
        long? nextDueMs = decision.NextCheckAt is { } next ? UnixMillis.From(next) : null;
        return new EscalationPlan(due.OccurrenceId, stepsDone, nextDueMs, severity == due.Severity ? null : severity, events, notifications);
    }
}
