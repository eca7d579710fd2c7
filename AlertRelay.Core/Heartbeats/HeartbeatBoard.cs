namespace AlertRelay.Core.Heartbeats;

/// <summary>
/// The heartbeats as the latest pass found them (the API and the metrics read this, not the store): replaced whole by each pass.
/// </summary>
public sealed class HeartbeatBoard
{
    private volatile Snapshot _latest = new([], null);

    /// <summary>The latest pass's reports, in configuration order; empty before the first pass.</summary>
    public IReadOnlyList<HeartbeatReport> Reports => _latest.Reports;

    /// <summary>When the latest pass ran (its clock reading); null before the first.</summary>
    public long? CheckedAtMs => _latest.CheckedAtMs;

    public void Publish(IReadOnlyList<HeartbeatReport> reports, long checkedAtMs) => _latest = new Snapshot(reports, checkedAtMs);

    private sealed record Snapshot(IReadOnlyList<HeartbeatReport> Reports, long? CheckedAtMs);
}
