namespace AlertRelay.Core.Heartbeats;

/// <summary>
/// The heartbeats as the latest pass found them (the API and the metrics read this, not the store): replaced whole by each pass.
/// </summary>
public sealed class HeartbeatBoard
{
    private volatile IReadOnlyList<HeartbeatReport> _reports = [];

    /// <summary>The latest pass's reports, in configuration order; empty before the first pass.</summary>
    public IReadOnlyList<HeartbeatReport> Reports => _reports;

    public void Publish(IReadOnlyList<HeartbeatReport> reports) => _reports = reports;
}
