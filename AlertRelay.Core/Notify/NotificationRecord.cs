namespace AlertRelay.Core.Notify;

/// <summary>One outbox entry as the API shows it.</summary>
public sealed record NotificationRecord(
    long Id,
    string Receiver,
    string Integration,
    int IntegrationIndex,
    string Kind,
    string Status,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    string? LastError,
    DateTimeOffset CreatedAt,
    DateTimeOffset? SentAt,
    IReadOnlyList<long> Alerts);
