namespace AlertRelay.Bench;

/// <summary>One message a stub received: when (a <see cref="System.Diagnostics.Stopwatch"/> timestamp), where, and its raw content.</summary>
public sealed record StubArrival(long Timestamp, string Path, string Content)
{
    /// <summary>SMTP only: when the session was accepted and each command was read, before this end of DATA.</summary>
    public IReadOnlyList<(string Step, long Timestamp)> Steps { get; init; } = [];
}
