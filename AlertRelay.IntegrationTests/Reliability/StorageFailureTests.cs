using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AlertRelay.Tests.TestData;
using Dapper;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace AlertRelay.IntegrationTests.Reliability;

/// <summary>
/// The built relay as a real process whose SQLite file stops taking writes — a full file system (a small tmpfs filled up)
/// or a read-only database (the file and its WAL made immutable with <c>chattr +i</c>, which binds root too, unlike
/// chmod) — and then takes them again. Meanwhile every webhook is answered 503 with Retry-After and problem details (so
/// Alertmanager retries), /readyz says the store cannot take writes, and the process lives on. Afterwards, without a
/// restart, the retried webhooks are answered 2xx and stored once, the one never retried left nothing behind, and the file
/// is sound. The techniques need root with CAP_SYS_ADMIN (mount) and CAP_LINUX_IMMUTABLE on an ext2/3/4 temp directory
/// (chattr); when they are not available the tests fail saying so, they never skip.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class StorageFailureTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly DebianTool Mount = new("mount", "mount");
    private static readonly DebianTool Umount = new("umount", "mount");
    private static readonly DebianTool Chattr = new("chattr", "e2fsprogs");

    /// <summary>A statement that needs a write transaction and changes nothing: SQLITE_READONLY on a connection opened read-only.</summary>
    private const string NoOpWrite = "DELETE FROM alert_events WHERE id = -1";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "alertrelay-tests", "storage-" + Guid.NewGuid().ToString("N"));
    private readonly string _prefix = "storage" + Random.Shared.Next(1000, 9999).ToString(CultureInfo.InvariantCulture);
    private readonly List<string> _cleanup = [];
    private SlackStub _slack = null!;
    private string _configPath = null!;
    private int _bodies;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _slack = await SlackStub.StartAsync();
        _configPath = Path.Combine(_directory, "alertrelay.yml");
        await RelayProcess.WriteConfigAsync(_configPath, _slack);
    }

    public async Task DisposeAsync()
    {
        await _slack.DisposeAsync();
        foreach (var step in Enumerable.Reverse(_cleanup))
        {
            if (step.StartsWith("umount ", StringComparison.Ordinal))
            {
                await Umount.RunAsync("-l", step["umount ".Length..]);
            }
            else if (step.StartsWith("chattr ", StringComparison.Ordinal))
            {
                await Chattr.RunAsync("-i", step["chattr ".Length..]);
            }
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task DiskFull_Answers503_LeavesNothingHalfWritten_AndRecoversWhenSpaceReturns()
    {
        var mountPoint = Path.Combine(_directory, "tmpfs");
        Directory.CreateDirectory(mountPoint);
        var mounted = await Mount.RunAsync("-t", "tmpfs", "-o", "size=8m", "tmpfs", mountPoint);
        Assert.True(mounted.ExitCode == 0,
            $"cannot mount a small tmpfs to fill up (needs root with CAP_SYS_ADMIN; run the reliability tests where they have it): {mounted.Output}");
        _cleanup.Add($"umount {mountPoint}");
        var filler = Path.Combine(mountPoint, "filler");

        var database = Path.Combine(mountPoint, "history.db");
        await RunStorageFailureAsync(
            database,
            fail: async () =>
            {
                // The history's write-ahead log emptied first: its next write needs new space, as on a disk that filled up while
                // the log was short (otherwise a write that fits in the log's old pages succeeds, and the failure is the inbox's alone).
                await TruncateWalAsync(database);
                FillUp(filler);
            },
            restore: () =>
            {
                File.Delete(filler);
                return Task.CompletedTask;
            });
    }

    [Fact]
    public async Task ReadOnlyDatabase_Answers503_LeavesNothingHalfWritten_AndRecoversWhenWritableAgain()
    {
        var database = Path.Combine(_directory, "history.db");
        string[] files = [database, database + "-wal"];
        await RunStorageFailureAsync(
            database,
            fail: async () =>
            {
                await SetImmutableAsync(files, true);

                // Root ignores permissions; the immutable flag must hold even for it, or this test proves nothing.
                Assert.Throws<UnauthorizedAccessException>(() => File.OpenWrite(database + "-wal").Dispose());
            },
            restore: () => SetImmutableAsync(files, false));
    }

    [Fact]
    public async Task ReadOnlyDatabase_ConnectionsOpenedMeanwhile_TakeWritesOnceItIsWritableAgain()
    {
        // In-process, on the pool the relay uses: SQLite opens a file it cannot write read-only, and such a connection
        // returned to the pool would go on failing writes after the file is writable again.
        using var database = new TempDatabase();
        string[] files = [database.Path, database.Path + "-wal"];
        try
        {
            await using (var before = database.Database.Open())
            {
                await before.ExecuteAsync("SELECT count(*) FROM alert_occurrences");
                await SetImmutableAsync(files, true);
                await using var during = database.Database.Open(); // a new connection: the pooled one is in use
                await during.ExecuteAsync("SELECT count(*) FROM alert_occurrences");
                Assert.Equal(8, (await Assert.ThrowsAsync<SqliteException>(() => during.ExecuteAsync(NoOpWrite))).SqliteErrorCode); // SQLITE_READONLY
                Assert.Contains("cannot be written", await database.Database.WriteBlockerAsync(default));
            }
        }
        finally
        {
            await SetImmutableAsync(files, false);
        }

        Assert.Null(await database.Database.WriteBlockerAsync(default));
        var connections = new[] { database.Database.Open(), database.Database.Open(), database.Database.Open() };
        try
        {
            foreach (var connection in connections)
            {
                await connection.ExecuteAsync(NoOpWrite);
            }
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private async Task RunStorageFailureAsync(string databasePath, Func<Task> fail, Func<Task> restore)
    {
        ServerProcess? relay = await RelayProcess.StartAsync(databasePath, _configPath);
        try
        {
            // Slack answers these bodies' notifications late: the failure starts while they are in flight, so the relay learns
            // they were delivered when it cannot record it. It must keep that outcome rather than send them again later.
            _slack.DelayNext(TimeSpan.FromSeconds(1), count: 5);
            var accepted = new List<IReadOnlyList<TestAlert>>();
            for (var i = 0; i < 5; i++)
            {
                var body = NextBody();
                Assert.Equal(HttpStatusCode.OK, (await PostAsync(relay, body)).StatusCode);
                accepted.Add(body);
            }

            // The failure must start while a delivery is in flight: once Slack holds a request (answered a second later), the
            // dispatcher has claimed its notification, so only the outcome is left to record when the store takes no writes.
            await Eventually.UntilAsync(() => _slack.Requests.Count > 0, TimeSpan.FromSeconds(10), "a notification in flight to Slack", () => relay.Output);
            await fail();

            // During the failure: 503 + Retry-After + problem details, /readyz not ready, the process alive. On a full disk SQLite
            // may first fill space it already holds (a write-ahead log it reuses after a checkpoint), and with a read-only history the
            // inbox beside it takes the first body whose apply finds the history failing: those webhooks are durably stored and
            // rightly answered 2xx. Once one is refused, so are all after it.
            var refused = new List<IReadOnlyList<TestAlert>>();
            for (var attempt = 0; refused.Count < 10; attempt++)
            {
                Assert.True(attempt < 400, $"no webhook was refused in {attempt} attempts while the store takes no writes\n{relay.Output}");
                var body = NextBody();
                using var response = await PostAsync(relay, body);
                var text = await response.Content.ReadAsStringAsync();
                if (refused.Count == 0 && response.IsSuccessStatusCode) // 202: stored in the inbox, applied once the store takes writes
                {
                    accepted.Add(body);
                    continue;
                }

                Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable,
                    $"webhook {refused.Count} after the first refusal: {(int)response.StatusCode} {text}\n{relay.Output}");
                Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "503 without Retry-After");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                var problem = JsonDocument.Parse(text).RootElement;
                Assert.Equal(503, problem.GetProperty("status").GetInt32());
                Assert.Contains("retry", problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
                refused.Add(body);
            }

            // Readers keep using the API meanwhile, many at once: connections opened now (read-only, as SQLite falls back to when
            // it cannot open the file for writing) must not stay in the pool and fail writes once the store recovers.
            using (var readers = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = new Uri(relay.Url) })
            {
                var reads = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => readers.GetAsync(i % 2 == 0 ? "/api/alerts?limit=50" : "/api/notifications?limit=50")));
                Assert.All(reads, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
            }

            using (var ready = await relay.Client.GetAsync("/readyz"))
            {
                Assert.True(ready.StatusCode == HttpStatusCode.ServiceUnavailable,
                    $"/readyz answered {(int)ready.StatusCode} {await ready.Content.ReadAsStringAsync()} while the store takes no writes");
            }

            await Eventually.UntilAsync(() => relay.Output.Contains("Recording the outcome of notification", StringComparison.Ordinal),
                TimeSpan.FromSeconds(10), "a delivery Slack confirmed while the store takes no writes", () => relay.Output);
            Assert.False(relay.HasExited, $"the relay died:\n{relay.Output}");
            Assert.True(await relay.MetricAsync("alertrelay_requests_rejected_total", "reason=\"unavailable\"") >= refused.Count);

            await restore();

            // Alertmanager retries the refused webhooks (all but the first, which it gave up on): 2xx without a restart.
            var recovery = System.Diagnostics.Stopwatch.StartNew();
            foreach (var body in refused.Skip(1))
            {
                await Eventually.UntilAsync(
                    async () =>
                    {
                        using var retried = await PostAsync(relay, body);
                        return retried.IsSuccessStatusCode;
                    },
                    TimeSpan.FromSeconds(20), "a retried webhook to be accepted once the store takes writes again", () => relay.Output);
                accepted.Add(body);
            }

            output.WriteLine($"retried webhooks accepted {recovery.Elapsed.TotalSeconds:0.0} s after the store took writes again");
            for (var i = 0; i < 5; i++)
            {
                var body = NextBody();
                Assert.Equal(HttpStatusCode.OK, (await PostAsync(relay, body)).StatusCode);
                accepted.Add(body);
            }

            Assert.Equal(HttpStatusCode.OK, (await relay.Client.GetAsync("/readyz")).StatusCode);
            await Eventually.UntilAsync(
                async () => (await relay.Client.GetFromJsonAsync<JsonElement>("/api/notifications?status=pending&limit=1")).GetArrayLength() == 0,
                TimeSpan.FromSeconds(30), "the outbox to drain", () => relay.Output);
            Assert.False(relay.HasExited, $"the relay died:\n{relay.Output}");
            Assert.Equal(0, await relay.MetricAsync("alertrelay_notifications_reclaimed_total"));
            var log = relay.Output;
            await relay.DisposeAsync();
            relay = null;

            await VerifyStoreAsync(new HistoryFile(databasePath), accepted, refused[0], log);
        }
        finally
        {
            if (relay is not null)
            {
                await relay.DisposeAsync();
            }
        }
    }

    private async Task VerifyStoreAsync(HistoryFile history, List<IReadOnlyList<TestAlert>> accepted, IReadOnlyList<TestAlert> abandoned, string log)
    {
        Assert.Equal("ok", await history.IntegrityCheckAsync());
        var stored = await history.AlertsAsync();
        var expected = accepted.SelectMany(b => b).ToList();
        Assert.Empty(expected.Where(a => !stored.TryGetValue(a.Name, out var s) || s.Copies != 1).Select(a => a.Name));
        Assert.Empty(abandoned.Where(a => stored.ContainsKey(a.Name)).Select(a => a.Name));
        Assert.Equal(expected.Count, stored.Count);

        var counts = await history.CountsAsync();
        Assert.Equal(expected.Count, counts.Occurrences);
        Assert.Equal(0, counts.Orphans);
        Assert.Equal(0, counts.WithoutTimeline);
        Assert.Equal(expected.Count, await history.EventCountAsync("received"));
        Assert.Equal(expected.Count, await history.EventCountAsync("routed"));

        var notifications = await history.NotificationsAsync();
        var notified = expected.Where(a => a.Notify).Select(a => a.Name).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(notified, notifications.Select(n => n.Alert).Order(StringComparer.Ordinal));
        Assert.All(notifications, n => Assert.Equal("sent", n.Status));
        var messages = _slack.TopLevelMessages.GroupBy(m => notified.FirstOrDefault(n => m.Text.Contains(n + " ", StringComparison.Ordinal)) ?? m.Text)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        output.WriteLine($"{expected.Count} alerts stored, {notifications.Count} notifications, {_slack.TopLevelMessages.Count} Slack messages");
        var wrong = notified.Where(n => messages.GetValueOrDefault(n) != 1).Select(n => $"{n}: {messages.GetValueOrDefault(n)} Slack messages").ToList();
        Assert.True(wrong.Count == 0, $"{string.Join(", ", wrong)}\n{log}");
    }

    private async Task SetImmutableAsync(IEnumerable<string> files, bool immutable)
    {
        foreach (var file in files)
        {
            var result = await Chattr.RunAsync(immutable ? "+i" : "-i", file);
            Assert.True(result.ExitCode == 0,
                $"chattr {(immutable ? "+i" : "-i")} {file} failed (needs CAP_LINUX_IMMUTABLE and an ext2/3/4 file system for {Path.GetTempPath()}): {result.Output}");
            if (immutable)
            {
                _cleanup.Add($"chattr {file}");
            }
        }
    }

    /// <summary>A new body of 10 unique alerts, the first of which notifies Slack.</summary>
    private List<TestAlert> NextBody()
    {
        var body = _bodies++;
        return [.. Enumerable.Range(0, 10).Select(i => new TestAlert($"{_prefix}-{body}-{i}", i == 0, DateTimeOffset.UtcNow.AddMinutes(-1)))];
    }

    private static Task<HttpResponseMessage> PostAsync(ServerProcess relay, IReadOnlyList<TestAlert> body) =>
        relay.Client.PostAsync("/webhook", new StringContent(WebhookBodies.Firing(body), Encoding.UTF8, "application/json"));

    /// <summary>Writes <paramref name="path"/> until the file system is full (the last bytes in small chunks).</summary>
    /// <summary>Checkpoints the history's write-ahead log and truncates it to nothing (retried while the relay's readers hold it).</summary>
    private static Task TruncateWalAsync(string database) =>
        Eventually.UntilAsync(
            async () =>
            {
                await using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
                await connection.OpenAsync();
                var (busy, _, _) = await connection.QuerySingleAsync<(long, long, long)>("PRAGMA wal_checkpoint(TRUNCATE)");
                return busy == 0 && new FileInfo(database + "-wal").Length == 0;
            },
            TimeSpan.FromSeconds(10), "the history's write-ahead log truncated");

    private static void FillUp(string path)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        foreach (var chunk in new[] { 1 << 20, 1 << 12, 1 })
        {
            var bytes = new byte[chunk];
            try
            {
                while (true)
                {
                    file.Write(bytes);
                }
            }
            catch (IOException)
            {
                // ENOSPC: on to smaller chunks.
            }
        }

        Assert.Equal(0, new DriveInfo(Path.GetDirectoryName(path)!).AvailableFreeSpace);
    }
}
