using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AlertRelay.Tests.TestData;

namespace AlertRelay.Tests.Api;

/// <summary>
/// The documented PostgreSQL backup and restore (docs/operations.md): <c>pg_dump -Fc</c> of a history AlertRelay keeps writing to,
/// <c>pg_restore</c> into an empty database, and AlertRelay started on the restored database reads the same history.
/// </summary>
public sealed class PostgresBackupRestoreTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "alertrelay-tests", "pg-backup-" + Guid.NewGuid().ToString("N"));
    private PostgresCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await PostgresCluster.Shared;
        Directory.CreateDirectory(_directory);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task PgDump_TakenWhileIngesting_RestoresTheHistoryThroughTheApi()
    {
        var source = await _cluster.CreateDatabaseAsync("source");
        var dump = Path.Combine(_directory, "alertrelay.dump");
        string[] before;
        using (var app = OnPostgres(source))
        {
            var webhook = app.WebhookClient();
            foreach (var file in Fixtures.AllWebhookBodies)
            {
                (await webhook.PostAsync("/webhook", new StringContent(Fixtures.Text(file), Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
            }

            using var stop = new CancellationTokenSource();
            var posted = 0;
            var writer = Task.Run(async () =>
            {
                var i = 0;
                while (!stop.IsCancellationRequested)
                {
                    var body = Fixtures.Text(Fixtures.FiringSingle).Replace("HighErrorRate", $"Busy{i++}");
                    (await webhook.PostAsync("/webhook", new StringContent(body, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
                    Interlocked.Increment(ref posted);
                }
            });
            await Eventually.UntilAsync(() => Volatile.Read(ref posted) >= 3, TimeSpan.FromSeconds(10), "ingest to be going on");
            await _cluster.RunClientAsync("pg_dump", "-Fc", "-f", dump, "-d", Url(source));
            await stop.CancelAsync();
            await writer;
            before = await AlertsAsync(app, "HighResponseTime");
        }

        var restored = await _cluster.CreateDatabaseAsync("restored");
        await _cluster.RunClientAsync("pg_restore", "--no-owner", "-d", Url(restored), dump);

        using var again = OnPostgres(restored);
        var after = await AlertsAsync(again, "HighResponseTime");
        Assert.Equal(before, after);
        Assert.Equal(2, after.Length);
        var page = await again.ReaderClient().GetFromJsonAsync<JsonElement>("/api/alerts?alertname=HighErrorRate");
        var items = page.GetProperty("items");
        var id = items[items.GetArrayLength() - 1].GetProperty("id").GetInt64(); // the first occurrence, before the refire
        var detail = await again.ReaderClient().GetFromJsonAsync<JsonElement>($"/api/alerts/{id}");
        Assert.Equal("received", detail.GetProperty("events")[0].GetProperty("kind").GetString());

        // The restored database goes on: a new alert gets an id after every restored one, a restored one stays a duplicate.
        var created = await again.WebhookClient().PostAsync("/webhook", new StringContent(
            Fixtures.Text(Fixtures.FiringSingle).Replace("HighErrorRate", "AfterRestore"), Encoding.UTF8, "application/json"));
        Assert.Contains("\"created\":1", await created.Content.ReadAsStringAsync());
        var duplicate = await again.WebhookClient().PostAsync("/webhook", new StringContent(Fixtures.Text(Fixtures.FiringGroupOfTwo), Encoding.UTF8, "application/json"));
        Assert.Contains("\"created\":0", await duplicate.Content.ReadAsStringAsync());
    }

    private static AlertRelayApp OnPostgres(string connectionString) => new(new Dictionary<string, string?>
    {
        ["AlertRelay:Database:Provider"] = "postgres",
        ["AlertRelay:Database:ConnectionString"] = connectionString,
    });

    /// <summary>A postgresql:// URL for the client programs, from the Npgsql connection string.</summary>
    private static string Url(string connectionString)
    {
        var settings = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        return $"postgresql://{settings.Username}@{settings.Host}:{settings.Port}/{settings.Database}";
    }

    private static async Task<string[]> AlertsAsync(AlertRelayApp app, string alertname)
    {
        var page = await app.ReaderClient().GetFromJsonAsync<JsonElement>($"/api/alerts?alertname={alertname}");
        return page.GetProperty("items").EnumerateArray().Select(a => $"{a.GetProperty("id").GetInt64()}:{a.GetProperty("fingerprint").GetString()}:{a.GetProperty("status").GetString()}").ToArray();
    }
}
