using System.Diagnostics.Metrics;
using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.History;

/// <summary>Metrics of history retention, on the host's <see cref="AlertRelayMeter"/>.</summary>
public sealed class HistoryMetrics
{
    /// <summary>Label names of the labelled instruments, in the order /metrics writes them.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> LabelNames { get; } = new Dictionary<string, IReadOnlyList<string>>
    {
        ["alertrelay_history_rows_deleted_total"] = ["table"],
    };

    public HistoryMetrics(IMeterFactory meterFactory)
        : this(AlertRelayMeter.From(meterFactory))
    {
    }

    internal HistoryMetrics(Meter meter)
    {
        RowsDeleted = meter.CreateCounter<long>(
            "alertrelay_history_rows_deleted_total", description: "History rows deleted by retention, by table.");
        OldestKept = new GaugeValue(meter,
            "alertrelay_history_oldest_kept_timestamp_seconds", "startsAt of the oldest occurrence kept (0 when the history is empty).");
    }

    /// <summary>Tagged <c>table</c>.</summary>
    public Counter<long> RowsDeleted { get; }

    /// <summary>Set after each retention pass.</summary>
    public GaugeValue OldestKept { get; }
}
