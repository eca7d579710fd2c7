namespace AlertRelay.Core.Notify;

/// <summary>What becomes of a notification after a delivery attempt, as <see cref="RetryPolicy"/> decides it.</summary>
public abstract record DeliveryDecision
{
    private DeliveryDecision()
    {
    }

    /// <summary>Sent; <see cref="Reference"/> lets later notifications thread under or update it.</summary>
    public sealed record Delivered(DeliveryRef? Reference) : DeliveryDecision;

    /// <summary>Not delivered; tried again once <see cref="Delay"/> has passed.</summary>
    public sealed record Retry(string Reason, TimeSpan Delay) : DeliveryDecision;

    /// <summary>Given up on: a dead letter until someone queues it again.</summary>
    public sealed record Dead(string Reason) : DeliveryDecision;
}
