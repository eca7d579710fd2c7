namespace AlertRelay.Core.History;

/// <summary>Retention of the history, bound to <c>AlertRelay:History</c>.</summary>
public sealed class HistoryOptions
{
    public const string SectionName = "AlertRelay:History";

    /// <summary>Resolved occurrences (and their events) older than this are deleted; 0 keeps everything.</summary>
    public int RetainDays { get; set; } = 90;

    /// <summary>Rows deleted per transaction, so that a large backlog never holds the write lock for long.</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>Pause between two batches, leaving the write lock and the CPU to ingest while a backlog is purged.</summary>
    public int PauseMilliseconds { get; set; } = 50;

    /// <summary>How often the retention worker runs.</summary>
    public int IntervalMinutes { get; set; } = 10;

    public IEnumerable<string> Validate()
    {
        if (RetainDays < 0)
        {
            yield return $"AlertRelay:History:RetainDays must be 0 (keep everything) or more, not {RetainDays}";
        }

        if (BatchSize is < 1 or > 100_000)
        {
            yield return $"AlertRelay:History:BatchSize must be between 1 and 100000, not {BatchSize}";
        }

        if (PauseMilliseconds is < 0 or > 10_000)
        {
            yield return $"AlertRelay:History:PauseMilliseconds must be between 0 and 10000, not {PauseMilliseconds}";
        }

        if (IntervalMinutes < 1)
        {
            yield return $"AlertRelay:History:IntervalMinutes must be at least 1, not {IntervalMinutes}";
        }
    }
}
