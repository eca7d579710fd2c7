using AlertRelay.Core.Ingest;
using AlertRelay.Tests.TestData;
using Microsoft.Extensions.Time.Testing;

namespace AlertRelay.Tests.Ingest;

/// <summary>
/// The ingest writer runs on a thread of its own at a lower priority (its Linux nice value): when the cores are busy, the threads
/// that answer webhooks come first and the inbox is applied with what is left.
/// </summary>
public sealed class WriterThreadTests
{
    [Fact]
    public async Task Writer_RunsOnAThreadOfItsOwnAtTheConfiguredNiceValue()
    {
        Assert.True(OperatingSystem.IsLinux(), "AlertRelay's writer priority is a Linux nice value; these tests run on Linux");
        await using var store = await SqliteTestStore.CreateAsync();
        var writer = store.CreateWriter(new FakeTimeProvider(), ingestOptions: new IngestOptions { WriterNiceness = 7 });
        using var stop = new CancellationTokenSource();
        var running = writer.RunAsync(stop.Token);

        await Eventually.UntilAsync(() => WriterThreadNiceValues().Contains(7), TimeSpan.FromSeconds(10), "a writer thread at nice 7");

        await stop.CancelAsync();
        await running;
    }

    /// <summary>The nice value (field 19 of /proc/self/task/N/stat) of each thread named as the writer's (names are cut at 15 bytes).</summary>
    private static List<int> WriterThreadNiceValues() =>
        Directory.EnumerateDirectories("/proc/self/task")
            .Where(task => File.Exists(Path.Combine(task, "comm")) && TryRead(Path.Combine(task, "comm"))?.Trim() == "AlertRelay inge")
            .Select(task => TryRead(Path.Combine(task, "stat")))
            .OfType<string>()
            .Select(stat => int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[16], System.Globalization.CultureInfo.InvariantCulture))
            .ToList();

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null; // the thread ended meanwhile
        }
    }
}
