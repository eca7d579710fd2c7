using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.History;

/// <summary>One stored alert occurrence as the query side reads it.</summary>
public sealed record OccurrenceRecord(
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

    /// <summary>The severity label, or the one an escalation step raised it to.</summary>
    public string Severity { get; init; } = Labels.Get("severity");

    /// <summary>The receivers the routing tree chose (empty until routed).</summary>
    public IReadOnlyList<string> Receivers { get; init; } = [];

    /// <summary>The occurrence whose firing mutes this one, if any.</summary>
    public long? InhibitedBy { get; init; }

    /// <summary>Who acknowledged it, if anyone.</summary>
    public AlertAck? Ack { get; init; }

    /// <summary>The Alertmanager silence created for it from AlertRelay, until the watcher notices it ended (null: none).</summary>
    public Oncall.ActiveSilence? Silence { get; init; }
}

/// <summary>An acknowledgement: who, why, when, and until when (null: until resolved).</summary>
public sealed record AlertAck(string By, string? Comment, DateTimeOffset At, DateTimeOffset? ExpiresAt);

/// <summary>One entry of an occurrence's timeline; <see cref="DetailJson"/> is a kind-specific JSON object.</summary>
public sealed record AlertEvent(long Id, string Kind, DateTimeOffset At, string? DetailJson);

/// <summary>A page of occurrences, newest first, and the cursor of the next page when there is one.</summary>
public sealed record AlertPage(IReadOnlyList<OccurrenceRecord> Items, AlertCursor? Next);

/// <summary>Counts by status and severity over a time range, and the mean time from start to resolve.</summary>
public sealed record AlertStats(
    int Total,
    IReadOnlyDictionary<string, int> ByStatus,
    IReadOnlyDictionary<string, int> BySeverity,
    int Resolved,
    double? MeanTimeToResolveSeconds);
