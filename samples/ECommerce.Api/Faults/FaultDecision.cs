namespace ECommerce.Api.Faults;

/// <summary>What the fault injector decided for one request: a delay, and the status to fail with (null: don't fail).</summary>
public readonly record struct FaultDecision(TimeSpan Latency, int? ErrorStatus)
{
    /// <summary>Leave the request alone.</summary>
    public static FaultDecision None => default;
}
