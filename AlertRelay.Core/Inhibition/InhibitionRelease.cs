namespace AlertRelay.Core.Inhibition;

/// <summary>What a source's resolution changes: the targets it muted that are now free, and those another source still mutes.</summary>
public sealed record InhibitionRelease(IReadOnlyList<MutedTarget> Freed, IReadOnlyList<Reattribution> Reattributed)
{
    public static InhibitionRelease None { get; } = new([], []);
}
