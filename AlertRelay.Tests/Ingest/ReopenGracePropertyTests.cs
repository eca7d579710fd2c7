using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.History;
using AlertRelay.Core.Ingest;
using AlertRelay.Tests.TestData;
using CsCheck;
using Dapper;
using Microsoft.Extensions.Time.Testing;

namespace AlertRelay.Tests.Ingest;

/// <summary>
/// Alertmanager HA pairs and triplets in front of the real ingest writer on each store (a SQLite file; PostgreSQL with one replica, and
/// with two replicas, each Alertmanager posting to its own) and a fake clock. A few alerts
/// follow random true histories (fire, resolve, fire again with the same startsAt or a new one); every Alertmanager instance
/// sends its copy of each change after a random delay (position × peer_timeout + jitter), and a non-first instance may send
/// the stale firing snapshot it took before a resolve, followed by its own resolve one group_interval later. The clock is
/// advanced to each delivery and the writer ticked (re-open confirmation) before it. At the end: every occurrence's status is
/// the truth, every true firing (a new occurrence or a genuine re-open) queued exactly one firing notification, every genuine
/// re-open is one <c>reopened</c> event, and a stale copy made neither.
/// </summary>
public abstract class ReopenGracePropertyContract : StoreContract
{
    private const string RunLabel = "ha_run";
    private const int GraceSeconds = IngestOptions.DefaultReopenGraceSeconds;
    private const int PeerTimeoutSeconds = 15;
    private const int MaxGroupIntervalSeconds = 300; // Alertmanager's default group_interval, the longest the generator uses

    private static readonly RelayConfig Config = RelayConfigLoader.LoadFromYaml("""
        route:
          receiver: oncall
        receivers:
          - name: oncall
            slack_configs:
              - channel: '#oncall'
                bot_token: xoxb-test
                send_resolved: true
        """, "alertrelay.yml");

    private static readonly (string Name, string Value)[][] Identities =
    [
        [("alertname", "DiskFull"), ("instance", "db-1"), ("severity", "warning")],
        [("alertname", "DiskFull"), ("instance", "db-2"), ("severity", "warning")],
        [("alertname", "HighErrorRate"), ("severity", "critical")],
    ];

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));
    private readonly Dictionary<string, int> _coverage = [];
    private int _runs;

    /// <summary>How many AlertRelay replicas the Alertmanagers post to (instance i to replica i mod this), on one store.</summary>
    protected virtual int Replicas => 1;

    /// <summary>One true firing of an alert: when it starts firing, whether it keeps the previous startsAt (a genuine re-open), how long it fires.</summary>
    private sealed record Episode(bool SameStartsAt, int FiringSeconds, int ResolvedSeconds, bool Resolves);

    /// <summary>A scenario: how many Alertmanagers, each alert's true episodes, and the seed of the delivery delays.</summary>
    private sealed record Scenario(int Instances, Episode[][] Alerts, int DelaySeed)
    {
        public override string ToString() =>
            $"{Instances} Alertmanagers, delay seed {DelaySeed}:\n" + string.Join("\n", Alerts.Select((episodes, i) => $"  {(char)('A' + i)}: " +
                string.Join(" | ", episodes.Select((e, n) => $"{(n > 0 && e.SameStartsAt ? "re-open" : "fire")} {e.FiringSeconds}s" + (e.Resolves ? $", resolved {e.ResolvedSeconds}s" : ", still firing")))));
    }

    // A genuine firing lasts longer than the grace plus the slowest delivery; a resolved spell outlasts every stale copy and its resolve.
    private static readonly Gen<Episode> EpisodeGen = Gen.Select(
        Gen.Bool, Gen.Int[GraceSeconds + 120, GraceSeconds + 1800], Gen.Int[GraceSeconds + MaxGroupIntervalSeconds + 120, 3 * GraceSeconds], Gen.Frequency((4, Gen.Const(true)), (1, Gen.Const(false))),
        (same, firing, resolved, resolves) => new Episode(same, firing, resolved, resolves));

    private static readonly Gen<Scenario> ScenarioGen = Gen.Select(
        Gen.Int[2, 3],
        EpisodeGen.Array[1, 4].Array[1, Identities.Length],
        Gen.Int,
        (instances, alerts, seed) => new Scenario(instances, alerts, seed));

    /// <summary>One webhook an Alertmanager delivers: when, which alert, which startsAt, firing or resolved (and when it ended).</summary>
    private sealed record Delivery(long AtSeconds, int Order, int Instance, int Identity, long StartsAtSeconds, bool Resolved, long EndsAtSeconds, bool Stale);

    [Fact]
    public async Task SubmitAsync_NotifiesEveryTrueFiringOnceAndNoStaleCopy_ForRandomHaInterleavings()
    {
        var replicas = new List<RunningWriter>();
        for (var i = 0; i < Replicas; i++)
        {
            replicas.Add(new RunningWriter(Store.CreateWriter(_time, config: Config, reopenGraceSeconds: GraceSeconds)));
        }

        try
        {
            await ScenarioGen.SampleAsync(scenario => RunAsync(replicas, scenario), iter: 150, threads: 1, print: s => s.ToString());
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await replica.DisposeAsync();
            }
        }

        // The generator must reach the cases the rule is about, or the property proves little.
        string[] reached = ["stale copy", "confirmed re-open", "new startsAt", "triplet"];
        Assert.All(reached, rule => Assert.True(_coverage.GetValueOrDefault(rule) > 0, $"no scenario reached \"{rule}\""));
    }

    private async Task RunAsync(List<RunningWriter> replicas, Scenario scenario)
    {
        var run = $"h{Interlocked.Increment(ref _runs)}";
        var origin = _time.GetUtcNow().ToUnixTimeSeconds() + 60;
        var (deliveries, truth) = Play(scenario, origin);
        Count("triplet", scenario.Instances == 3 ? 1 : 0);
        Count("stale copy", deliveries.Count(d => d.Stale));
        Count("confirmed re-open", scenario.Alerts.Sum(e => e.Skip(1).TakeWhile((_, i) => e[i].Resolves).Count(x => x.SameStartsAt)));
        Count("new startsAt", scenario.Alerts.Sum(e => e.Skip(1).TakeWhile((_, i) => e[i].Resolves).Count(x => !x.SameStartsAt)));

        foreach (var delivery in deliveries)
        {
            AdvanceTo(delivery.AtSeconds);
            foreach (var replica in replicas)
            {
                await replica.Pipeline.ConfirmDueReopensAsync(default); // every replica's tick, before what arrives at this second
            }

            await replicas[delivery.Instance % replicas.Count].SubmitAsync(Message(delivery, run));
        }

        // Long after the last delivery, every candidate has been confirmed or cancelled.
        AdvanceTo(deliveries[^1].AtSeconds + GraceSeconds + 60);
        foreach (var replica in replicas)
        {
            await replica.Pipeline.ConfirmDueReopensAsync(default);
        }

        var stored = await StoredAsync(run, origin);
        Assert.True(truth.SequenceEqual(stored),
            $"{scenario}\nexpected (alert@startsAt status, firing notifications):\n  {string.Join("\n  ", truth)}\nstored:\n  {string.Join("\n  ", stored)}");
    }

    private void AdvanceTo(long seconds)
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        if (seconds > now)
        {
            _time.Advance(TimeSpan.FromSeconds(seconds - now));
        }
    }

    private void Count(string rule, int times) => _coverage[rule] = _coverage.GetValueOrDefault(rule) + times;

    /// <summary>
    /// Every instance's copies of every true change, in delivery order (ties in a random order), and the truth: per occurrence
    /// its final status and how many true firings it had (each must be notified once).
    /// </summary>
    private static (List<Delivery> Deliveries, List<string> Truth) Play(Scenario scenario, long origin)
    {
        var random = new Random(scenario.DelaySeed);
        var deliveries = new List<Delivery>();
        var truth = new List<string>();
        void Add(long at, int instance, int identity, long startsAt, bool resolved, long endsAt, bool stale) =>
            deliveries.Add(new Delivery(at, random.Next(), instance, identity, startsAt, resolved, endsAt, stale));

        for (var identity = 0; identity < scenario.Alerts.Length; identity++)
        {
            var t = origin + random.Next(0, 120);
            long startsAt = t;
            var firings = new SortedDictionary<long, int>();
            var stillFiring = false;
            for (var e = 0; e < scenario.Alerts[identity].Length; e++)
            {
                var episode = scenario.Alerts[identity][e];
                startsAt = e > 0 && episode.SameStartsAt ? startsAt : t; // a genuine re-open keeps the startsAt (resolve_timeout)
                firings[startsAt] = firings.GetValueOrDefault(startsAt) + 1;
                for (var instance = 0; instance < scenario.Instances; instance++)
                {
                    // A non-first instance flushes position × peer_timeout later; its group re-notifications repeat the firing.
                    var firstCopy = t + instance * PeerTimeoutSeconds + random.Next(0, 20);
                    Add(firstCopy, instance, identity, startsAt, resolved: false, 0, stale: false);
                    for (var repeat = firstCopy + 60 + random.Next(0, 240); repeat < t + episode.FiringSeconds - 60; repeat += 60 + random.Next(0, 600))
                    {
                        Add(repeat, instance, identity, startsAt, resolved: false, 0, stale: false);
                    }
                }

                t += episode.FiringSeconds;
                if (!episode.Resolves)
                {
                    stillFiring = true;
                    break;
                }

                var endsAt = t;
                for (var instance = 0; instance < scenario.Instances; instance++)
                {
                    var flush = t + instance * PeerTimeoutSeconds + random.Next(0, 20);
                    if (instance > 0 && random.Next(2) == 0)
                    {
                        // The snapshot taken before the resolve, sent after the peer_timeout wait; its own resolve a group_interval later.
                        Add(flush, instance, identity, startsAt, resolved: false, 0, stale: true);
                        Add(flush + random.Next(10, MaxGroupIntervalSeconds + 1), instance, identity, startsAt, resolved: true, endsAt, stale: false);
                    }
                    else
                    {
                        Add(flush, instance, identity, startsAt, resolved: true, endsAt, stale: false);
                    }
                }

                t += episode.ResolvedSeconds;
            }

            truth.AddRange(firings.Select(f =>
                Line(identity, f.Key - origin, stillFiring && f.Key == startsAt ? AlertStatus.Firing : AlertStatus.Resolved, f.Value, f.Value - 1)));
        }

        return ([.. deliveries.OrderBy(d => d.AtSeconds).ThenBy(d => d.Order)], truth);
    }

    /// <summary>An occurrence: its status, its firing notifications and its <c>reopened</c> events (one per true firing after the first).</summary>
    private static string Line(int identity, long startsAtFromOrigin, AlertStatus status, long firingNotifications, long reopened) =>
        $"{(char)('A' + identity)}@+{startsAtFromOrigin}s {status.ToText()}, {firingNotifications} firing, {reopened} reopened";

    /// <summary>The run's occurrences as stored, with the firing notifications the outbox holds for each.</summary>
    private async Task<List<string>> StoredAsync(string run, long origin)
    {
        await using var connection = Store.Open();
        var occurrences = (await connection.QueryAsync<(long Id, string Labels, long StartsAtMs, string Status)>(
            "SELECT id, labels, starts_at_ms, status FROM alert_occurrences")).AsList();
        var firings = (await connection.QueryAsync<(long Id, long Count)>("""
            SELECT a.occurrence_id, count(*) FROM notification_alerts a JOIN notifications n ON n.id = a.notification_id
            WHERE n.kind = 'firing' OR (n.kind = 'digest' AND n.detail LIKE '%firing%')
            GROUP BY a.occurrence_id
            """)).ToDictionary(r => r.Id, r => r.Count);
        var reopened = (await connection.QueryAsync<(long Id, long Count)>(
            "SELECT occurrence_id, count(*) FROM alert_events WHERE kind = 'reopened' GROUP BY occurrence_id")).ToDictionary(r => r.Id, r => r.Count);
        return [.. occurrences
            .Select(o => (Identity: Array.FindIndex(Identities, i => LabelSet.From([.. i, (RunLabel, run)]).Equals(LabelSet.FromJson(o.Labels))), Row: o))
            .Where(o => o.Identity >= 0)
            .OrderBy(o => o.Identity).ThenBy(o => o.Row.StartsAtMs)
            .Select(o => Line(o.Identity, o.Row.StartsAtMs / 1000 - origin, o.Row.Status == AlertStatusText.Firing ? AlertStatus.Firing : AlertStatus.Resolved,
                firings.GetValueOrDefault(o.Row.Id), reopened.GetValueOrDefault(o.Row.Id)))];
    }

    private static Core.Ingest.WebhookMessage Message(Delivery delivery, string run)
    {
        var labels = LabelSet.From([.. Identities[delivery.Identity], (RunLabel, run)]);
        var alert = new Alert(Fingerprint.Of(labels), delivery.Resolved ? AlertStatus.Resolved : AlertStatus.Firing, labels,
            LabelSet.From(("summary", "disk")), DateTimeOffset.FromUnixTimeSeconds(delivery.StartsAtSeconds),
            delivery.Resolved ? DateTimeOffset.FromUnixTimeSeconds(delivery.EndsAtSeconds) : null, "");
        return new Core.Ingest.WebhookMessage("relay", alert.Status, "{}:{}", 0, LabelSet.Empty, LabelSet.Empty, LabelSet.Empty, "http://am:9093", [alert]);
    }
}

public sealed class ReopenGracePropertyOnSqlite : ReopenGracePropertyContract
{
    protected override Task<TestStore> CreateStoreAsync() => SqliteTestStore.CreateAsync();
}

public sealed class ReopenGracePropertyOnPostgres : ReopenGracePropertyContract
{
    protected override Task<TestStore> CreateStoreAsync() => PostgresTestStore.CreateAsync();
}

/// <summary>Each Alertmanager of the pair (or triplet) posts to its own AlertRelay replica; the replicas share one PostgreSQL.</summary>
public sealed class ReopenGracePropertyOnPostgresReplicas : ReopenGracePropertyContract
{
    protected override int Replicas => 2;

    protected override Task<TestStore> CreateStoreAsync() => PostgresTestStore.CreateAsync();
}
