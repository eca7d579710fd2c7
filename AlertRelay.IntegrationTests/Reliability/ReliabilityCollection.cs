namespace AlertRelay.IntegrationTests.Reliability;

/// <summary>
/// The reliability tests run one at a time: each drives a real relay hard on a 2-core machine, and their timing assertions
/// (delivery keeps up during an outage, a kill lands mid-load) would measure each other otherwise.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReliabilityCollection
{
    public const string Name = "Reliability";
}
