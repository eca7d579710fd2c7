using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AlertRelay.Api.Cli;
using AlertRelay.Tests.TestData;

namespace AlertRelay.Tests.Api;

/// <summary>The documented backup and restore procedure, end to end: back up while the relay writes, restore, read the history back.</summary>
public sealed class BackupRestoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "alertrelay-tests", "backup-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Backup_TakenWhileIngesting_RestoresTheHistoryThroughTheApi()
    {
        var backup = Path.Combine(_directory, "backups", "alertrelay-backup.db");
        string[] before;
        using (var source = new AlertRelayApp())
        {
            var webhook = source.WebhookClient();
            foreach (var file in Fixtures.AllWebhookBodies)
            {
                (await webhook.PostAsync("/webhook", new StringContent(Fixtures.Text(file), Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
            }

            // Ingest goes on while the backup runs.
            using var stop = new CancellationTokenSource();
            var posted = 0;
            var writer = Task.Run(async () =>
            {
                var i = 0;
                while (!stop.IsCancellationRequested)
                {
                    var body = Fixtures.Text(Fixtures.FiringSingle).Replace("HighErrorRate", $"Busy{i++}");
                    await webhook.PostAsync("/webhook", new StringContent(body, Encoding.UTF8, "application/json"));
                    Interlocked.Increment(ref posted);
                }
            });
            await Eventually.UntilAsync(() => Volatile.Read(ref posted) >= 3, TimeSpan.FromSeconds(10), "ingest to be going on");
            using var output = new StringWriter();
            using var error = new StringWriter();
            Assert.True(CliCommands.TryRun(["history", "backup", "--db", source.DatabasePath, "--to", backup], output, error, out var exitCode));
            await stop.CancelAsync();
            await writer;

            Assert.True(exitCode == 0, error.ToString());
            Assert.Contains("Backed up", output.ToString());
            before = await AlertnamesAsync(source, "HighResponseTime");
        }

        // Restore: with AlertRelay stopped, the backup file becomes the database file (no -wal/-shm beside it).
        using var restored = new AlertRelayApp();
        Directory.CreateDirectory(Path.GetDirectoryName(restored.DatabasePath)!);
        File.Copy(backup, restored.DatabasePath);

        var after = await AlertnamesAsync(restored, "HighResponseTime");
        Assert.Equal(before, after);
        Assert.Equal(2, after.Length);
        var page = await restored.ReaderClient().GetFromJsonAsync<JsonElement>("/api/alerts?alertname=HighErrorRate");
        var items = page.GetProperty("items");
        var id = items[items.GetArrayLength() - 1].GetProperty("id").GetInt64(); // the first occurrence, before the refire
        var detail = await restored.ReaderClient().GetFromJsonAsync<JsonElement>($"/api/alerts/{id}");
        Assert.Equal("received", detail.GetProperty("events")[0].GetProperty("kind").GetString());
    }

    [Fact]
    public void Backup_Refuses_ToOverwriteAFile()
    {
        Directory.CreateDirectory(_directory);
        var existing = Path.Combine(_directory, "exists.db");
        File.WriteAllText(existing, "keep me");
        using var app = new AlertRelayApp();
        app.CreateClient(); // start: creates the database
        using var error = new StringWriter();

        CliCommands.TryRun(["history", "backup", "--db", app.DatabasePath, "--to", existing], TextWriter.Null, error, out var exitCode);

        Assert.Equal(CliCommands.Failed, exitCode);
        Assert.Contains("already exists", error.ToString());
        Assert.Equal("keep me", File.ReadAllText(existing));
    }

    private static async Task<string[]> AlertnamesAsync(AlertRelayApp app, string alertname)
    {
        var page = await app.ReaderClient().GetFromJsonAsync<JsonElement>($"/api/alerts?alertname={alertname}");
        return page.GetProperty("items").EnumerateArray().Select(a => $"{a.GetProperty("fingerprint").GetString()}:{a.GetProperty("status").GetString()}").ToArray();
    }
}
