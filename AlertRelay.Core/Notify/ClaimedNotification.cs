using AlertRelay.Core.Schedules;

namespace AlertRelay.Core.Notify;

/// <summary>A notification this process has leased from the outbox: where it goes, why, and how many attempts it has had.</summary>
/// <param name="Reclaimed">Claimed before, and its lease ran out with no outcome recorded: the process that held it stopped, maybe while sending it.</param>
public sealed record ClaimedNotification(
    long Id,
    NotificationTarget Target,
    NotificationKind Kind,
    string? Detail,
    int Attempts,
    DateTimeOffset CreatedAt,
    bool Reclaimed)
{
    /// <summary>The person on call it pages (<c>paged_schedule</c> / <c>paged_participant</c>), or <see langword="null"/>.</summary>
    public OncallPage? Page { get; init; }
}
