namespace AlertRelay.Core.Notify;

/// <summary>The outcome of asking to retry a notification.</summary>
public enum RetryOutcome
{
    Queued,
    NotFound,
    NotDead,
}
