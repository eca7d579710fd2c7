using System.Diagnostics;
using AlertRelay.Core.Alerts;
using Microsoft.Extensions.Logging;

namespace AlertRelay.Core.History;

/// <summary>The engine-neutral part of a retention pass on either engine: the cutoff, and what a pass reports (metrics, log).</summary>
internal static class RetentionPass
{
    /// <summary>Resolved history ending before this (unix ms) is deleted; null when <see cref="HistoryOptions.RetainDays"/> is 0 (keep everything).</summary>
    public static long? CutoffMs(HistoryOptions settings, TimeProvider time) =>
        settings.RetainDays > 0 ? UnixMillis.From(time.GetUtcNow().AddDays(-settings.RetainDays)) : null;

    public static void ReportDeleted(HistoryMetrics metrics, ILogger logger, long occurrences, long notifications, int retainDays)
    {
        metrics.RowsDeleted.Add(occurrences, new TagList { { "table", "alert_occurrences" } });
        metrics.RowsDeleted.Add(notifications, new TagList { { "table", "notifications" } });
        if (occurrences + notifications > 0)
        {
            logger.LogInformation("Retention deleted {occurrences} occurrences (with their events) and {notifications} sent notifications older than {days} days",
                occurrences, notifications, retainDays);
        }
    }

    /// <summary>Sets the oldest-kept gauge from the oldest occurrence's start (unix ms; 0 when there is none).</summary>
    public static void ReportOldest(HistoryMetrics metrics, long? oldestStartsAtMs) =>
        metrics.OldestKept.Set(oldestStartsAtMs is { } ms ? ms / 1000.0 : 0);
}
