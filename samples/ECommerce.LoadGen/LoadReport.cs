namespace ECommerce.LoadGen;

/// <summary>The result of a run: totals, a row per journey step and overall, and errors by status.</summary>
public sealed record LoadReport(
    bool Reached,
    string? UnreachableReason,
    TimeSpan Elapsed,
    IReadOnlyList<StepReport> Steps,
    StepReport Overall,
    IReadOnlyDictionary<string, long> ErrorsByStatus)
{
    /// <summary>Requests answered or failed, per second of the run.</summary>
    public double RequestsPerSecond => Elapsed > TimeSpan.Zero ? Overall.Requests / Elapsed.TotalSeconds : 0;
}
