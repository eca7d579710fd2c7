namespace ECommerce.Api.Monitoring;

/// <summary>
/// Carries a request's route label from routing back out to the metrics middleware, which could not read it
/// from the endpoint afterwards: the exception handler clears the endpoint before it writes a 500.
/// </summary>
public sealed class RouteLabelFeature
{
    /// <summary>The label, once routing has run.</summary>
    public string? Route { get; set; }
}
