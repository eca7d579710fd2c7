using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.History;

/// <summary>One stored alert occurrence as the query side reads it.</summary>
public sealed record AlertRecord(
    long Id,
    Fingerprint Fingerprint,
    AlertStatus Status,
    LabelSet Labels,
    LabelSet Annotations,
    DateTimeOffset StartsAt,
    DateTimeOffset? EndsAt,
    string GeneratorUrl,
    string Receiver,
    string GroupKey,
    string ExternalUrl,
    DateTimeOffset ReceivedAt,
    DateTimeOffset UpdatedAt)
{
    public string Alertname => Labels.Get("alertname");

    public string Severity => Labels.Get("severity");
}

/// <summary>One entry of an occurrence's timeline; <see cref="DetailJson"/> is a kind-specific JSON object.</summary>
public sealed record AlertEvent(long Id, string Kind, DateTimeOffset At, string? DetailJson);

/// <summary>A page of occurrences, newest first, and the cursor of the next page when there is one.</summary>
public sealed record AlertPage(IReadOnlyList<AlertRecord> Items, AlertCursor? Next);

/// <summary>Counts by status and severity over a time range, and the mean time from start to resolve.</summary>
public sealed record AlertStats(
    int Total,
    IReadOnlyDictionary<string, int> ByStatus,
    IReadOnlyDictionary<string, int> BySeverity,
    int Resolved,
    double? MeanTimeToResolveSeconds);
