namespace AlertRelay.Tests.Api;

/// <summary>
/// The host exports its metrics into prometheus-net's process-wide default registry, so every host a test starts counts into the
/// same counters. Test classes that assert how much a counter moved (before and after) run one at a time in this collection:
/// another class counting the same failures in parallel would otherwise move it too.
/// </summary>
[CollectionDefinition(Name)]
public sealed class MetricsRegistryCollection
{
    public const string Name = "prometheus-net default registry";
}
