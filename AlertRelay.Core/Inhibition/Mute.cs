namespace AlertRelay.Core.Inhibition;

/// <summary>A firing occurrence muted by the source of <paramref name="Inhibition"/>.</summary>
public sealed record Mute(long TargetId, InhibitionMatch Inhibition);
