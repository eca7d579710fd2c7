using AlertRelay.Core.Alerts;
using AlertRelay.Core.Notify;

namespace AlertRelay.Core.History;

/// <summary>
/// A notification as the outbox listing of either engine selects it; each engine's row adds its occurrences (a comma-separated list
/// on SQLite, an array on PostgreSQL).
/// </summary>
// A class with setters: Dapper types a NULL column from its value, which a constructor cannot take.
internal abstract class NotificationRow
{
    public long Id { get; set; }

    public string Receiver { get; set; } = "";

    public string Integration { get; set; } = "";

    public long IntegrationIndex { get; set; }

    public string Kind { get; set; } = "";

    public string Status { get; set; } = "";

    public long Attempts { get; set; }

    public long NextAttemptMs { get; set; }

    public string? LastError { get; set; }

    public long CreatedAtMs { get; set; }

    public long? SentAtMs { get; set; }

    public NotificationRecord ToRecord(IReadOnlyList<long> occurrences) => new(
        Id, Receiver, Integration, (int)IntegrationIndex, Kind, Status, (int)Attempts,
        Status == "pending" ? UnixMillis.ToDateTimeOffset(NextAttemptMs) : null, LastError,
        UnixMillis.ToDateTimeOffset(CreatedAtMs), SentAtMs is { } sent ? UnixMillis.ToDateTimeOffset(sent) : null,
        occurrences);
}
