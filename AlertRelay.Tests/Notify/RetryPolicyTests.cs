using AlertRelay.Core.Notify;

namespace AlertRelay.Tests.Notify;

public sealed class RetryPolicyTests
{
    private static readonly NotifyOptions Options = new() { MaxAttempts = 12, InitialBackoffSeconds = 1, MaxBackoffSeconds = 300 };

    private static readonly DeliveryRef Reference = new(SlackChannel: "C1", SlackTs: "1732560000.000100");

    public static TheoryData<string, int, NotifyResult, double, DeliveryDecision> Decisions => new()
    {
        { "delivered keeps its reference", 1, NotifyResult.Delivered(Reference), 0.5, new DeliveryDecision.Delivered(Reference) },
        { "first failure waits the initial backoff", 1, NotifyResult.RetryLater("HTTP 500"), 0.5, new DeliveryDecision.Retry("HTTP 500", TimeSpan.FromSeconds(1)) },
        { "lowest jitter is 20% shorter", 1, NotifyResult.RetryLater("HTTP 500"), 0, new DeliveryDecision.Retry("HTTP 500", TimeSpan.FromSeconds(0.8)) },
        { "highest jitter is 20% longer", 1, NotifyResult.RetryLater("HTTP 500"), 1, new DeliveryDecision.Retry("HTTP 500", TimeSpan.FromSeconds(1.2)) },
        { "fifth failure has doubled four times", 5, NotifyResult.RetryLater("HTTP 503"), 0.5, new DeliveryDecision.Retry("HTTP 503", TimeSpan.FromSeconds(16)) },
        { "backoff stops growing at the maximum", 11, NotifyResult.RetryLater("HTTP 503"), 0.5, new DeliveryDecision.Retry("HTTP 503", TimeSpan.FromSeconds(300)) },
        { "a longer Retry-After wins", 1, NotifyResult.RetryLater("HTTP 429", TimeSpan.FromSeconds(42)), 0.5, new DeliveryDecision.Retry("HTTP 429", TimeSpan.FromSeconds(42)) },
        { "a shorter Retry-After does not", 5, NotifyResult.RetryLater("HTTP 429", TimeSpan.FromSeconds(3)), 0.5, new DeliveryDecision.Retry("HTTP 429", TimeSpan.FromSeconds(16)) },
        { "the last attempt gives up", 12, NotifyResult.RetryLater("HTTP 500"), 0.5, new DeliveryDecision.Dead("gave up after 12 attempts: HTTP 500") },
        { "a permanent failure dies at once", 1, NotifyResult.Permanent("slack chat.postMessage: channel_not_found"), 0.5, new DeliveryDecision.Dead("slack chat.postMessage: channel_not_found") },
    };

    [Theory]
    [MemberData(nameof(Decisions))]
    public void Decide_ReturnsTheDecision_ForEachAttemptAndResult(string name, int attempt, NotifyResult result, double jitter, DeliveryDecision expected)
    {
        var decision = new RetryPolicy(Options, () => jitter).Decide(attempt, result);

        Assert.True(expected == decision, $"{name}: {decision}");
    }

    [Fact]
    public void Backoff_GrowsExponentially_WithJitter_AndRespectsRetryAfter()
    {
        var policy = new RetryPolicy(new NotifyOptions { MaxAttempts = 12, InitialBackoffSeconds = 1, LeaseSeconds = 60 }, Random.Shared.NextDouble);

        var first = policy.Backoff(1, null);
        var fifth = policy.Backoff(5, null);
        var withRetryAfter = policy.Backoff(1, TimeSpan.FromSeconds(42));

        Assert.InRange(first.TotalSeconds, 0.8, 1.2);
        Assert.InRange(fifth.TotalSeconds, 16 * 0.8, 16 * 1.2);
        Assert.Equal(TimeSpan.FromSeconds(42), withRetryAfter);
    }
}
