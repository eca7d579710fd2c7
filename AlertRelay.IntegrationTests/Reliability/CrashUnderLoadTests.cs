using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using AlertRelay.Core.Notify;
using AlertRelay.Tests.TestData;
using Xunit.Abstractions;

namespace AlertRelay.IntegrationTests.Reliability;

/// <summary>
/// The built relay as a real process under full ingest load, killed with SIGKILL at a random moment (seeded), restarted on the
/// same SQLite file: every alert answered 2xx is stored (once), and every notification queued for a stored alert reaches the
/// Slack stub exactly once, except deliveries that were in flight at the kill (Slack answered, the relay died before recording
/// it): those may be sent a second time, are counted separately, and must be no more than the dispatcher's concurrency for the
/// one Slack target and no more than the restarted relay claimed again after their lease ran out
/// (<c>alertrelay_notifications_reclaimed_total</c>, and a warning naming each): the relay knows which ones may be duplicates.
/// </summary>
/// <remarks>
/// <c>ALERTRELAY_CRASH_ITERATIONS</c> (default 3) kills per run, <c>ALERTRELAY_CRASH_SEED</c> repeats a run,
/// <c>ALERTRELAY_CRASH_REPORT</c> names a file that gets one summary line per iteration and a total (bench/reliability/crash-loop.sh).
/// </remarks>
[Collection(ReliabilityCollection.Name)]
public sealed partial class CrashUnderLoadTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, string> Settings = new()
    {
        // One notification per notified alert, never a digest: each Slack message names one alert.
        ["AlertRelay__Notify__DigestThreshold"] = "1000",
        ["Logging__LogLevel__AlertRelay.Core.Notify.OutboxDispatcher"] = "Warning",
    };

    [Fact]
    public async Task KillNine_UnderFullLoad_StoresEveryAcceptedAlert_AndDeliversEveryNotificationOnce()
    {
        var iterations = Setting("ALERTRELAY_CRASH_ITERATIONS", 3);
        var seed = Setting("ALERTRELAY_CRASH_SEED", Random.Shared.Next(1, 1_000_000));
        var reportPath = Environment.GetEnvironmentVariable("ALERTRELAY_CRASH_REPORT");
        var lines = new List<string> { $"crash-loop: seed {seed}, {iterations} iterations (ALERTRELAY_CRASH_SEED={seed} repeats them)" };
        output.WriteLine(lines[0]);

        var results = new List<IterationResult>();
        for (var iteration = 1; iteration <= iterations; iteration++)
        {
            var result = await RunIterationAsync(iteration, seed + iteration);
            results.Add(result);
            lines.Add(result.Summary);
            output.WriteLine(result.Summary);
            foreach (var problem in result.Problems)
            {
                output.WriteLine($"  problem: {problem}");
            }

            if (reportPath is not null)
            {
                await File.WriteAllLinesAsync(reportPath, lines);
            }
        }

        var total = string.Create(CultureInfo.InvariantCulture,
            $"crash-loop: total: {results.Count} kills, accepted {results.Sum(r => r.Accepted)} alerts, stored {results.Sum(r => r.Stored)}, "
            + $"lost {results.Sum(r => r.Lost)}; notifications expected {results.Sum(r => r.Expected)}, delivered {results.Sum(r => r.Delivered)}, "
            + $"duplicated {results.Sum(r => r.Duplicated)} (in flight at the kill); failed iterations {results.Count(r => r.Problems.Count > 0)}");
        lines.Add(total);
        output.WriteLine(total);
        if (reportPath is not null)
        {
            await File.WriteAllLinesAsync(reportPath, lines);
        }

        var problems = results.SelectMany(r => r.Problems.Select(p => $"iteration {r.Iteration} (seed {r.Seed}): {p}")).ToList();
        Assert.True(problems.Count == 0, $"seed {seed}:\n{string.Join("\n", problems)}");
        Assert.All(results, r => Assert.True(r.Accepted > 0, $"iteration {r.Iteration}: no webhook was accepted before the kill"));
    }

    private async Task<IterationResult> RunIterationAsync(int iteration, int seed)
    {
        var random = new Random(seed);
        var result = new IterationResult(iteration, seed);
        var directory = Path.Combine(Path.GetTempPath(), "alertrelay-tests", "crash-load-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var databasePath = Path.Combine(directory, "history.db");
        var configPath = Path.Combine(directory, "alertrelay.yml");
        var started = Stopwatch.StartNew();
        await using var slack = await SlackStub.StartAsync();
        await RelayProcess.WriteConfigAsync(configPath, slack, sendResolved: true);

        ServerProcess? relay = null;
        try
        {
            relay = await RelayProcess.StartAsync(databasePath, configPath, Settings);
            var killAfter = TimeSpan.FromMilliseconds(random.Next(300, 2500));
            result.KillAfter = killAfter;
            await using var load = WebhookLoad.Start(new Uri(relay.Url), new WebhookLoadOptions
            {
                Prefix = $"crash{iteration}",
                Posters = 16,
                AlertsPerBody = 10,
                NotifyEvery = 10, // one alert of ten goes to Slack: ingest runs at full speed, delivery keeps up after the restart
                ResolveAfterFiring = true,
            });
            await Task.Delay(killAfter);
            var posting = load.StopAsync(); // no new posts from now on; those in flight meet the kill
            await relay.DisposeAsync(); // SIGKILL: no graceful shutdown, no flush
            relay = null;
            await posting;

            // Requests that reached the stub before the kill may still be finishing: let them, then note what Slack holds.
            await Eventually.UntilAsync(() => slack.OpenConnections == 0, TimeSpan.FromSeconds(10), "the Slack stub to finish the killed relay's requests");
            var beforeKill = slack.Messages.Keys.ToHashSet(StringComparer.Ordinal);

            relay = await RelayProcess.StartAsync(databasePath, configPath, Settings);
            var restarted = relay;
            await Eventually.UntilAsync(async () => await restarted.MetricAsync("alertrelay_inbox_backlog_alerts") == 0,
                TimeSpan.FromSeconds(90), "the inbox accepted before the kill to be applied", () => restarted.Output);
            // How long this takes grows with what the kill left: the inbox accepts a 2.5 s burst faster than the chain did, and
            // the stub gets ~35 notifications/s here; ~4,600 of them (23,000 alerts) took 138 s on a loaded 2-core machine.
            await Eventually.UntilAsync(
                async () => (await restarted.Client.GetFromJsonAsync<JsonElement>("/api/notifications?status=pending&limit=1")).GetArrayLength() == 0,
                TimeSpan.FromSeconds(300), "the outbox to drain after the restart", () => restarted.Output);
            await Task.Delay(TimeSpan.FromSeconds(1)); // room for a wrong re-delivery
            result.Reclaimed = (int)await relay.MetricAsync("alertrelay_notifications_reclaimed_total");
            await relay.DisposeAsync();
            relay = null;

            await VerifyAsync(result, load.Posts, new HistoryFile(databasePath), slack, beforeKill);
        }
        catch (Exception ex)
        {
            result.Problems.Add($"{ex.GetType().Name}: {ex.Message}");
        }
        finally
        {
            if (relay is not null)
            {
                await relay.DisposeAsync();
            }

            Directory.Delete(directory, recursive: true);
        }

        result.Took = started.Elapsed;
        return result;
    }

    private static async Task VerifyAsync(IterationResult result, IReadOnlyList<WebhookPost> posts, HistoryFile history, SlackStub slack, HashSet<string> beforeKill)
    {
        var problems = result.Problems;
        var posted = posts.SelectMany(p => p.Alerts).GroupBy(a => a.Name).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var acceptedFiring = posts.Where(p => p.Accepted && !p.Resolved).SelectMany(p => p.Alerts).Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        var acceptedResolved = posts.Where(p => p.Accepted && p.Resolved).SelectMany(p => p.Alerts).Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        result.Refused = posts.Count(p => p.Status is { } status && !p.Accepted);
        result.Unanswered = posts.Count(p => p.Unanswered);

        var stored = await history.AlertsAsync();
        result.Accepted = acceptedFiring.Count;
        result.Stored = stored.Count;
        var lostFiring = acceptedFiring.Where(name => !stored.ContainsKey(name)).ToList();
        var lostResolves = acceptedResolved.Where(name => !stored.TryGetValue(name, out var alert) || alert.Status != "resolved").ToList();
        result.Lost = lostFiring.Count + lostResolves.Count;
        Report(problems, lostFiring, "accepted (2xx) but not stored");
        Report(problems, lostResolves, "resolve accepted (2xx) but the stored alert is not resolved");
        Report(problems, stored.Keys.Where(name => !posted.ContainsKey(name)), "stored but never posted");
        Report(problems, stored.Where(s => s.Value.Copies > 1).Select(s => s.Key), "stored more than once");
        var integrity = await history.IntegrityCheckAsync();
        if (integrity != "ok")
        {
            problems.Add($"integrity_check: {integrity}");
        }

        // What the relay queued: one firing notification per stored notified alert, one resolve per resolved one; all sent.
        var notifications = await history.NotificationsAsync();
        result.Expected = notifications.Count;
        Report(problems, notifications.Where(n => n.Status != "sent").Select(n => $"{n.Alert} {n.Kind} {n.Status}"), "notification not delivered");
        Report(problems, notifications.Where(n => !posted.TryGetValue(n.Alert, out var alert) || !alert.Notify).Select(n => n.Alert), "notification for an alert that does not notify");
        foreach (var (name, alert) in stored)
        {
            if (!posted.TryGetValue(name, out var postedAlert) || !postedAlert.Notify)
            {
                continue;
            }

            var firingQueued = notifications.Count(n => n.Alert == name && n.Kind == "firing");
            var resolvesQueued = notifications.Count(n => n.Alert == name && n.Kind == "resolved");
            if (firingQueued != 1 || resolvesQueued != (alert.Status == "resolved" ? 1 : 0))
            {
                problems.Add($"{name} ({alert.Status}): {firingQueued} firing and {resolvesQueued} resolved notifications queued");
            }
        }

        // What Slack received, per alert: the recorded message, plus duplicates only from before the kill.
        var topLevel = slack.TopLevelMessages.GroupBy(m => AlertName(m.Text)).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        Report(problems, topLevel.Keys.Where(name => !notifications.Any(n => n.Alert == name && n.Kind == "firing")), "Slack message for an alert with no firing notification");
        foreach (var firing in notifications.Where(n => n.Kind == "firing" && n.Status == "sent"))
        {
            var messages = topLevel.GetValueOrDefault(firing.Alert) ?? [];
            var recordedTs = SlackTs(firing.DeliveryRef);
            var recorded = messages.SingleOrDefault(m => m.Ts == recordedTs);
            if (recorded is null)
            {
                problems.Add($"{firing.Alert}: firing notification {firing.Id} recorded as sent (ts {recordedTs}) but Slack has {messages.Count} messages, none with that ts");
                continue;
            }

            result.Delivered++;
            CheckOnce(result, firing, messages.Select(m => m.Ts).ToList(), recordedTs, beforeKill, "firing message");

            var resolve = notifications.SingleOrDefault(n => n.Alert == firing.Alert && n.Kind == "resolved" && n.Status == "sent");
            var replies = recorded.Replies.Where(r => r.Text.Contains("Resolved", StringComparison.Ordinal)).ToList();
            if (resolve is null)
            {
                Report(problems, replies.Select(r => r.Ts), $"{firing.Alert}: resolve reply without a resolved notification");
                continue;
            }

            if (replies.Count == 0 || !recorded.Text.Contains("[RESOLVED]", StringComparison.Ordinal))
            {
                problems.Add($"{firing.Alert}: resolved notification {resolve.Id} recorded as sent, but the message shows \"{recorded.Text}\" with {replies.Count} resolve replies");
                continue;
            }

            // The resolve's reference is the original message, not its reply: which reply was recorded is not known.
            result.Delivered++;
            CheckOnce(result, resolve, replies.Select(r => r.Ts).ToList(), null, beforeKill, "resolve reply");
        }

        if (result.Duplicated > OutboxDispatcher.PerTargetConcurrency)
        {
            problems.Add($"{result.Duplicated} deliveries repeated after the restart; at most {OutboxDispatcher.PerTargetConcurrency} can have been in flight at the kill");
        }

        if (result.Duplicated > result.Reclaimed)
        {
            problems.Add($"{result.Duplicated} deliveries repeated after the restart, but the relay reclaimed only {result.Reclaimed} after their lease");
        }
    }

    /// <summary>
    /// One notification's deliveries as Slack holds them (message or reply ts): one, or two when Slack took one before the kill
    /// that the relay did not live to record and the restarted relay sent it again (then the recorded one, when known, is the second).
    /// </summary>
    private static void CheckOnce(
        IterationResult result, StoredNotification notification, IReadOnlyList<string> deliveries, string? recordedTs, HashSet<string> beforeKill, string what)
    {
        if (deliveries.Count == 1)
        {
            return;
        }

        var before = deliveries.Count(beforeKill.Contains);
        if (deliveries.Count == 2 && before == 1 && (recordedTs is null || !beforeKill.Contains(recordedTs)))
        {
            result.Duplicated++;
            return;
        }

        result.Problems.Add($"{notification.Alert}: {what} of notification {notification.Id} delivered {deliveries.Count} times, {before} of them before the kill"
            + (recordedTs is null ? "" : $", the recorded one (ts {recordedTs}) {(beforeKill.Contains(recordedTs) ? "before" : "after")} it"));
    }

    private static void Report(List<string> problems, IEnumerable<string> items, string what)
    {
        var list = items.ToList();
        if (list.Count > 0)
        {
            problems.Add($"{list.Count} {what}: {string.Join(", ", list.Take(10))}{(list.Count > 10 ? ", ..." : "")}");
        }
    }

    private static string? SlackTs(string? deliveryRef) =>
        deliveryRef is null ? null : JsonDocument.Parse(deliveryRef).RootElement.TryGetProperty("slackTs", out var ts) ? ts.GetString() : null;

    private static string AlertName(string text) => AlertNamePattern().Match(text) is { Success: true } match ? match.Value : text;

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;

    [GeneratedRegex(@"crash\d+-\d+-\d+-\d+")]
    private static partial Regex AlertNamePattern();

    private sealed class IterationResult(int iteration, int seed)
    {
        public int Iteration { get; } = iteration;

        public int Seed { get; } = seed;

        public List<string> Problems { get; } = [];

        public TimeSpan KillAfter { get; set; }

        public TimeSpan Took { get; set; }

        public int Accepted { get; set; }

        public int Stored { get; set; }

        public int Lost { get; set; }

        public int Refused { get; set; }

        public int Unanswered { get; set; }

        public int Expected { get; set; }

        public int Delivered { get; set; }

        public int Duplicated { get; set; }

        public int Reclaimed { get; set; }

        public string Summary => string.Create(CultureInfo.InvariantCulture,
            $"crash-loop: iteration {Iteration}: killed after {KillAfter.TotalSeconds:0.00} s; accepted {Accepted} alerts, stored {Stored}, lost {Lost} "
            + $"({Unanswered} posts unanswered at the kill, {Refused} refused); notifications expected {Expected}, delivered {Delivered}, "
            + $"duplicated {Duplicated} (relay: {Reclaimed} reclaimed after their lease); {(Problems.Count == 0 ? "ok" : $"FAILED ({Problems.Count} problems)")} in {Took.TotalSeconds:0} s");
    }
}
