using AlertRelay.Core.Notify;

namespace AlertRelay.Core.History;

/// <summary>The reads of one engine, on one open connection, that <see cref="OutboxMessages"/> builds a claimed notification's message from.</summary>
internal interface IOutboxMessageReader
{
    /// <summary>The occurrences a notification is about, oldest start first.</summary>
    Task<IReadOnlyList<NotifiedOccurrenceRow>> AlertsOfAsync(long notificationId, CancellationToken cancellationToken);

    /// <summary>
    /// The occurrences of several notifications in one query, oldest start first within each, with <see cref="NotifiedOccurrenceRow.NotificationId"/>
    /// and <see cref="NotifiedOccurrenceRow.ExternalUrl"/> set.
    /// </summary>
    Task<IReadOnlyList<NotifiedOccurrenceRow>> AlertsOfManyAsync(IReadOnlyList<long> notificationIds, CancellationToken cancellationToken);

    /// <summary>
    /// For each alert of a resolve, the newest sent firing notification or digest of firing alerts (detail LIKE
    /// <see cref="OutboxMessages.FiringDigest"/>) of the same integration before it.
    /// </summary>
    Task<IEnumerable<(long OccurrenceId, long NotificationId, string Kind, string DeliveryRef, string? PagedSchedule, string? PagedParticipant)>> AnnouncingAsync(
        ClaimedNotification notification, CancellationToken cancellationToken);

    /// <summary>The delivery reference (JSON) and page of the newest sent firing notification of the same integration about an occurrence (nulls: none).</summary>
    Task<(string? DeliveryRef, string? PagedSchedule, string? PagedParticipant)> LatestFiringDeliveryAsync(ClaimedNotification notification, long occurrenceId, CancellationToken cancellationToken);

    /// <summary>The external URL an occurrence was received with.</summary>
    Task<string?> ExternalUrlAsync(long occurrenceId, CancellationToken cancellationToken);
}
