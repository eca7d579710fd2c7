namespace AlertRelay.Core.History;

/// <summary>Whether the store can take writes now (readiness).</summary>
public interface IStoreHealth
{
    /// <summary>Why the store cannot take a write now, or null when it can.</summary>
    Task<string?> WriteBlockerAsync(CancellationToken cancellationToken);
}
