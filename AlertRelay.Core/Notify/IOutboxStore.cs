namespace AlertRelay.Core.Notify;

/// <summary>
/// The outbox as the Notify stage sees it: leases due notifications, reads what to send, records outcomes with their timeline
/// events, lists and re-queues. Each engine implements it (<c>History.SqliteOutboxStore</c>, <c>Postgres.PostgresOutboxStore</c>); notifications are queued inside
/// the transaction of the change that causes them (<see cref="Pipeline.IIngestTransaction.Persist(IReadOnlyList{QueuedNotification}, long)"/>).
/// </summary>
public interface IOutboxStore
{
    /// <summary>Leases what <paramref name="claim"/> asks for in one transaction; when nothing is due it takes no write lock.</summary>
    Task<IReadOnlyList<ClaimedNotification>> ClaimAsync(OutboxClaim claim, CancellationToken cancellationToken);

    /// <summary>
    /// The message of a claimed notification: its alerts as they are now, the delivery it follows up (a resolve or an escalation
    /// of one alert refers to the firing notification this integration delivered), and Alertmanager's external URL.
    /// </summary>
    Task<NotificationMessage> LoadMessageAsync(ClaimedNotification notification, CancellationToken cancellationToken);

    /// <summary>
    /// The messages of several claimed notifications, in their order, as <see cref="LoadMessageAsync"/> builds each: on one connection, with the
    /// occurrences of all of them read by one query (a burst of single-alert notifications costs two queries, not a connection and two
    /// queries each).
    /// </summary>
    Task<IReadOnlyList<NotificationMessage>> LoadMessagesAsync(IReadOnlyList<ClaimedNotification> notifications, CancellationToken cancellationToken);

    /// <summary>
    /// Records outcomes in one transaction, each with its timeline events, at <paramref name="now"/>. Returns for each whether it
    /// was recorded: not when the notification is no longer pending (another dispatcher finished it after this one's lease ran out).
    /// </summary>
    Task<IReadOnlyList<bool>> RecordAsync(IReadOnlyList<NotificationOutcome> outcomes, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Extends the leases a dispatcher still holds to <paramref name="untilMs"/>, each only if it is still the lease that dispatcher took
    /// (<c>claimed_until_ms</c> unchanged and still pending): a notification whose lease ran out and that another replica claimed is
    /// left to it. Returns the ids renewed.
    /// </summary>
    Task<IReadOnlyList<long>> RenewAsync(IReadOnlyList<OutboxLease> leases, long untilMs, CancellationToken cancellationToken);

    Task<OutboxGauges> GaugesAsync(CancellationToken cancellationToken);

    /// <summary>Notifications newest first, optionally by status; <paramref name="beforeId"/> continues a listing.</summary>
    Task<IReadOnlyList<NotificationRecord>> ListAsync(string? status, int limit, long? beforeId, CancellationToken cancellationToken);

    /// <summary>Queues a dead notification again, due at <paramref name="now"/>, with its attempts reset.</summary>
    Task<RetryOutcome> RequeueAsync(long id, DateTimeOffset now, CancellationToken cancellationToken);
}
