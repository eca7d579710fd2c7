using Microsoft.Extensions.Options;

namespace AlertRelay.Core.Notify;

/// <summary>
/// Decides what becomes of a notification after an attempt: delivered; tried again after an exponential backoff with ±20% jitter,
/// never sooner than the server's Retry-After; or dead after a permanent failure or the last attempt. Pure: the jitter comes from
/// the source it is given (a number in [0, 1)).
/// </summary>
public sealed class RetryPolicy(NotifyOptions options, Func<double> jitter)
{
    /// <summary>The service's policy: the configured options, jitter from <see cref="Random.Shared"/>.</summary>
    public RetryPolicy(IOptions<NotifyOptions> options)
        : this(options.Value, Random.Shared.NextDouble)
    {
    }

    /// <summary>The decision after attempt number <paramref name="attempt"/> (1 for the first) ended with <paramref name="result"/>.</summary>
    public DeliveryDecision Decide(int attempt, NotifyResult result) => result switch
    {
        NotifyResult.Sent sent => new DeliveryDecision.Delivered(sent.Reference),
        NotifyResult.Retry retry when attempt < options.MaxAttempts => new DeliveryDecision.Retry(retry.Reason, Backoff(attempt, retry.RetryAfter)),
        NotifyResult.Retry retry => new DeliveryDecision.Dead($"gave up after {attempt} attempts: {retry.Reason}"),
        NotifyResult.Failed failed => new DeliveryDecision.Dead(failed.Reason),
        _ => new DeliveryDecision.Dead("unknown result"),
    };

    /// <summary>How long to wait after failed attempt number <paramref name="attempt"/>: doubling from the initial backoff up to the maximum, ±20%, at least <paramref name="retryAfter"/>.</summary>
    public TimeSpan Backoff(int attempt, TimeSpan? retryAfter)
    {
        var seconds = Math.Min(options.MaxBackoffSeconds, options.InitialBackoffSeconds * Math.Pow(2, attempt - 1));
        var jittered = TimeSpan.FromSeconds(seconds * (0.8 + (jitter() * 0.4)));
        return retryAfter is { } after && after > jittered ? after : jittered;
    }
}
