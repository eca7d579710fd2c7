namespace AlertRelay.IntegrationTests.Reliability;

/// <summary>One webhook a <see cref="WebhookLoad"/> poster sent: its alerts, firing or resolved, and how the relay answered.</summary>
/// <param name="Status">The HTTP status, or null when no answer came (connection refused or reset, the relay killed mid-request).</param>
public sealed record WebhookPost(IReadOnlyList<TestAlert> Alerts, bool Resolved, int? Status, DateTimeOffset SentAt, DateTimeOffset AnsweredAt)
{
    /// <summary>2xx: the relay committed every alert in it.</summary>
    public bool Accepted => Status is >= 200 and <= 299;

    /// <summary>No answer: the alerts may or may not have been committed.</summary>
    public bool Unanswered => Status is null;
}
