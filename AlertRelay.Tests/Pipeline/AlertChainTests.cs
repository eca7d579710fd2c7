using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Dedup;
using AlertRelay.Core.History;
using AlertRelay.Core.Ingest;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Pipeline;

namespace AlertRelay.Tests.Pipeline;

/// <summary>
/// The chain's decisions as plans, without a database: each case posts webhook messages in turn and reads the plan
/// of the last alert (the occurrence row, events, mutes, escalation and notifications) and what the message queued.
/// </summary>
public sealed class AlertChainTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private const long NowMs = 1_800_000_000_000;

    private static readonly RelayConfig Config = RelayConfigLoader.LoadFromYaml("""
        route:
          receiver: team-email
          routes:
            - matchers: ['severity="critical"']
              receiver: oncall
        receivers:
          - name: oncall
            slack_configs:
              - channel: '#oncall'
                bot_token: xoxb-test
                send_resolved: true
          - name: team-email
            email_configs:
              - to: team@example.com
                from: relay@example.com
                smarthost: localhost:25
                require_tls: false
                send_resolved: false
        inhibit_rules:
          - source_matchers: ['severity="critical"']
            target_matchers: ['severity="warning"']
            equal: [instance]
        escalations:
          - name: critical-ladder
            matchers: ['severity="critical"']
            steps:
              - after: 15m
                notify: oncall
        """, "alertrelay.yml");

    private static readonly Alert Critical = Alert("NodeDown", "critical");
    private static readonly Alert Warning = Alert("DiskSlow", "warning");

    private static Alert Alert(string name, string severity)
    {
        var labels = LabelSet.From(("alertname", name), ("severity", severity), ("instance", "db1"));
        return new Alert(Fingerprint.Of(labels), AlertStatus.Firing, labels, LabelSet.From(("summary", name)), T0, null, "");
    }

    private static Alert Resolved(Alert alert) => alert with { Status = AlertStatus.Resolved, EndsAt = T0.AddMinutes(5) };

    private static WebhookMessage Message(params Alert[] alerts) =>
        new("relay", alerts[0].Status, "{}:{}", 0, LabelSet.Empty, LabelSet.Empty, LabelSet.Empty, "http://am:9093", alerts);

    private const long GraceMs = 360_000;

    /// <summary>A step that posts nothing: the clock passes the re-open grace and the due candidates are confirmed.</summary>
    private static readonly Alert[] GraceEnds = [];

    /// <summary>
    /// A case: the messages posted in turn (or <see cref="GraceEnds"/>), then what the last plan holds; with
    /// <paramref name="ReopenGraceMs"/> above 0 re-opens wait for the grace.
    /// </summary>
    public sealed record Case(string Name, Alert[][] Messages, PlanShape Expected, long ReopenGraceMs = 0)
    {
        public override string ToString() => Name;
    }

    /// <summary>The parts of a plan a case checks: occurrence row change, event kinds, mutes, escalation and notifications.</summary>
    public sealed record PlanShape(
        string Row, string[] Events, string[] Inhibitions, string[] Escalations, string[] Notifications, string[] Queued);

    public static TheoryData<Case> Cases => new()
    {
        new Case("a first copy is stored, routed, escalated and notified",
            [[Critical]],
            new PlanShape("insert 1 firing", ["1:received", "1:routed"], [], ["1:start critical-ladder"], ["1:oncall/slack/0 Firing"],
                ["oncall/slack/0 Firing [1]"])),
        new Case("a re-send (group re-notification or HA twin) changes nothing",
            [[Critical], [Critical]],
            new PlanShape("none", [], [], [], [], [])),
        new Case("a resolve updates the row, stops the ladder and tells the integrations that heard it fire",
            [[Critical], [Resolved(Critical)]],
            new PlanShape("update 1 resolved", ["1:resolved"], [], ["1:stop"], ["1:oncall/slack/0 Resolved"], ["oncall/slack/0 Resolved [1]"])),
        new Case("a resolve is not sent to an integration without send_resolved",
            [[Warning], [Resolved(Warning)]],
            new PlanShape("update 1 resolved", ["1:resolved"], [], ["1:stop"], [], [])),
        new Case("a warning under a firing critical is muted and not notified",
            [[Critical], [Warning]],
            new PlanShape("insert 2 firing", ["2:received", "2:routed", "2:inhibited"], ["2 muted by 1"], [], [], [])),
        new Case("a critical mutes the warning already firing",
            [[Warning], [Critical]],
            new PlanShape("insert 2 firing", ["2:received", "2:routed", "1:inhibited"], ["1 muted by 2"], ["2:start critical-ladder"],
                ["2:oncall/slack/0 Firing"], ["oncall/slack/0 Firing [2]"])),
        new Case("the source resolving releases its target, which is heard of at last",
            [[Critical], [Warning], [Resolved(Critical)]],
            new PlanShape("update 1 resolved", ["1:resolved", "2:uninhibited"], ["2 released"], ["1:stop", "2:resume"],
                ["1:oncall/slack/0 Resolved", "2:team-email/email/0 Firing"], ["oncall/slack/0 Resolved [1]", "team-email/email/0 Firing [2]"])),
        new Case("a resolved alert firing again with the same startsAt is re-opened",
            [[Critical], [Resolved(Critical)], [Critical]],
            new PlanShape("update 1 firing", ["1:reopened"], [], ["1:resume"], ["1:oncall/slack/0 Firing"], ["oncall/slack/0 Firing [1]"])),
        new Case("a new startsAt is a re-fire that closes the previous occurrence",
            [[Critical], [Critical with { StartsAt = T0.AddHours(1) }]],
            new PlanShape("insert 2 firing, supersedes 1", ["1:resolved", "2:refired", "2:routed"], [], ["1:stop", "2:start critical-ladder"],
                ["1:oncall/slack/0 Resolved", "2:oncall/slack/0 Firing"], ["oncall/slack/0 Resolved [1]", "oncall/slack/0 Firing [2]"])),
        new Case("new annotations are recorded on the stored occurrence",
            [[Critical], [Critical with { Annotations = LabelSet.From(("summary", "worse")) }]],
            new PlanShape("update 1 firing", ["1:annotations_changed"], [], [], [], [])),
        new Case("with a grace, a resolved alert firing again is a candidate: still resolved, nothing notified",
            [[Critical], [Resolved(Critical)], [Critical]],
            new PlanShape("update 1 resolved, reopen pending", ["1:reopen_pending"], [], [], [], []), GraceMs),
        new Case("with a grace, another firing copy while the candidate waits is a duplicate",
            [[Critical], [Resolved(Critical)], [Critical], [Critical]],
            new PlanShape("none", [], [], [], [], []), GraceMs),
        new Case("with a grace, a resolve while the candidate waits cancels it: a stale copy, nothing notified",
            [[Critical], [Resolved(Critical)], [Critical], [Resolved(Critical)]],
            new PlanShape("update 1 resolved", ["1:stale_copy"], [], [], [], []), GraceMs),
        new Case("with a grace, a candidate no resolve cancelled is re-opened when the grace ends, as without one",
            [[Critical], [Resolved(Critical)], [Critical], GraceEnds],
            new PlanShape("update 1 firing", ["1:reopened"], [], ["1:resume"], ["1:oncall/slack/0 Firing"], ["oncall/slack/0 Firing [1]"]), GraceMs),
        new Case("with a grace, a confirmed re-open of a critical mutes the warning firing meanwhile",
            [[Critical], [Resolved(Critical)], [Critical], [Warning], GraceEnds],
            new PlanShape("update 1 firing", ["1:reopened", "2:inhibited"], ["2 muted by 1"], ["1:resume"], ["1:oncall/slack/0 Firing"],
                ["oncall/slack/0 Firing [1]"]), GraceMs),
        new Case("with a grace, a candidate replaced by a newer occurrence is cancelled when the grace ends",
            [[Critical], [Resolved(Critical)], [Critical], [Critical with { StartsAt = T0.AddHours(1) }], GraceEnds],
            new PlanShape("update 1 resolved", ["1:stale_copy"], [], [], [], []), GraceMs),
        new Case("with a grace, a cancelled candidate is not re-opened when the grace ends",
            [[Critical], [Resolved(Critical)], [Critical], [Resolved(Critical)], GraceEnds],
            new PlanShape("none", [], [], [], [], []), GraceMs),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Apply_PlansTheChange_WhenAMessageArrives(Case @case)
    {
        var store = new InMemoryIngestTransaction();
        var state = new IngestState(new IdentityIndex());
        var plans = new List<AlertPlan>();
        var nowMs = NowMs;
        foreach (var alerts in @case.Messages)
        {
            store.Queued.Clear();
            state.Prepare(store, Config);
            var planned = plans.Count;
            if (alerts.Length == 0)
            {
                nowMs += @case.ReopenGraceMs;
                new AlertChain(Config, state, store, nowMs, digestThreshold: 10, @case.ReopenGraceMs).ConfirmDueReopens(plans);
            }
            else
            {
                new AlertChain(Config, state, store, nowMs, digestThreshold: 10, @case.ReopenGraceMs).Apply(Message(alerts), plans);
            }

            if (plans.Count == planned)
            {
                plans.Add(new AlertPlan(Critical, AlertChange.None, nowMs)); // nothing was due: an empty plan
            }
        }

        var actual = Shape(plans[^1], store.Queued);
        Assert.Equal(@case.Expected.Row, actual.Row);
        Assert.Equal(@case.Expected.Events, actual.Events);
        Assert.Equal(@case.Expected.Inhibitions, actual.Inhibitions);
        Assert.Equal(@case.Expected.Escalations, actual.Escalations);
        Assert.Equal(@case.Expected.Notifications, actual.Notifications);
        Assert.Equal(@case.Expected.Queued, actual.Queued);
    }

    [Fact]
    public void Apply_QueuesOneDigest_WhenMoreAlertsThanTheThresholdFireForOneIntegration()
    {
        var store = new InMemoryIngestTransaction();
        var state = new IngestState(new IdentityIndex());
        state.Prepare(store, Config);
        var alerts = Enumerable.Range(0, 11).Select(i => Alert($"Down{i}", "critical")).ToArray();

        var result = new AlertChain(Config, state, store, NowMs, digestThreshold: 10).Apply(Message(alerts));

        Assert.Equal(new IngestResult(11, 11, 0, 0), result);
        var digest = Assert.Single(store.Queued);
        Assert.Equal((NotificationKind.Digest, "11 alerts firing"), (digest.Kind, digest.Detail));
        Assert.Equal(Enumerable.Range(1, 11).Select(i => (long)i), digest.OccurrenceIds);
    }

    private static PlanShape Shape(AlertPlan plan, IReadOnlyList<QueuedNotification> queued) => new(
        plan.Insert is { } insert ? $"insert {insert.Id} {insert.Alert.Status.ToText()}" + string.Concat(plan.Superseded.Select(s => $", supersedes {s.Id}"))
        : plan.Update is { } update ? $"update {update.Id} {update.Status.ToText()}{(update.ReopenDueMs is not null ? ", reopen pending" : "")}"
        : "none",
        plan.Events.Select(e => $"{e.OccurrenceId}:{e.Kind}").ToArray(),
        plan.Inhibitions.Select(i => i.SourceId is { } source ? $"{i.TargetId} muted by {source}" : $"{i.TargetId} released").ToArray(),
        plan.Escalations.Select(e => e.StartPolicy is { } policy ? $"{e.OccurrenceId}:start {policy}" : e.NextDueMs is null ? $"{e.OccurrenceId}:stop" : $"{e.OccurrenceId}:resume").ToArray(),
        plan.Notifications.Select(n => $"{n.OccurrenceId}:{Target(n.Target)} {n.Kind}").ToArray(),
        queued.Select(q => $"{Target(q.Target)} {q.Kind} [{string.Join(",", q.OccurrenceIds)}]").ToArray());

    private static string Target(NotificationTarget target) => $"{target.Receiver}/{target.Integration}/{target.Index}";
}
