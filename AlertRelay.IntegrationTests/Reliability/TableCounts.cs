namespace AlertRelay.IntegrationTests.Reliability;

/// <summary>Row counts of the history, and rows that point at nothing.</summary>
public sealed class TableCounts
{
    public long Occurrences { get; set; }

    public long Events { get; set; }

    public long Notifications { get; set; }

    public long Orphans { get; set; }

    public long WithoutTimeline { get; set; }
}
