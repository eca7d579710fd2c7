namespace AlertRelay.Core.Notify;

/// <summary>
/// The outcome of one delivery attempt, classified like Alertmanager's notify Retrier: delivered; retry
/// later (5xx, 429, timeouts, connection refused, SMTP 4xx), optionally not before <c>RetryAfter</c>;
/// or failed for good (other 4xx, SMTP 5xx, a bad configuration).
/// </summary>
public abstract record NotifyResult
{
    private NotifyResult()
    {
    }

    public static NotifyResult Delivered(DeliveryRef? reference = null) => new Sent(reference);

    public static NotifyResult RetryLater(string reason, TimeSpan? retryAfter = null) => new Retry(reason, retryAfter);

    public static NotifyResult Permanent(string reason) => new Failed(reason);

    /// <summary>Delivered; <see cref="Reference"/> lets later notifications thread under or update it.</summary>
    public sealed record Sent(DeliveryRef? Reference) : NotifyResult;

    /// <summary>Not delivered this time; try again (not before <see cref="RetryAfter"/> when the server said so).</summary>
    public sealed record Retry(string Reason, TimeSpan? RetryAfter) : NotifyResult;

    /// <summary>Not delivered and retrying will not help.</summary>
    public sealed record Failed(string Reason) : NotifyResult;
}
