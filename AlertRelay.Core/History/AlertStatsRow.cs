using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.History;

/// <summary>One (status, severity) group of occurrences as the stats query of either engine selects it.</summary>
internal class AlertStatsRow
{
    public string Status { get; set; } = "";

    public string Severity { get; set; } = "";

    public long Count { get; set; }

    public long? ResolveMsSum { get; set; }

    /// <summary>Adds up the groups: counts by status (firing and resolved always present) and severity, and the mean time to resolve.</summary>
    public static AlertStats Tally(IReadOnlyCollection<AlertStatsRow> rows)
    {
        var byStatus = new SortedDictionary<string, int>(StringComparer.Ordinal) { [AlertStatusText.Firing] = 0, [AlertStatusText.Resolved] = 0 };
        var bySeverity = new SortedDictionary<string, int>(StringComparer.Ordinal);
        long resolved = 0, resolveMs = 0;
        foreach (var row in rows)
        {
            byStatus[row.Status] = byStatus.GetValueOrDefault(row.Status) + (int)row.Count;
            bySeverity[row.Severity] = bySeverity.GetValueOrDefault(row.Severity) + (int)row.Count;
            if (row.Status == AlertStatusText.Resolved)
            {
                resolved += row.Count;
                resolveMs += row.ResolveMsSum ?? 0;
            }
        }

        return new AlertStats(
            (int)rows.Sum(r => r.Count),
            byStatus,
            bySeverity,
            (int)resolved,
            resolved == 0 ? null : resolveMs / 1000.0 / resolved);
    }
}
