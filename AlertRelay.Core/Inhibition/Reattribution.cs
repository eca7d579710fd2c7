namespace AlertRelay.Core.Inhibition;

/// <summary>A muted target that stays muted after its source resolved, now attributed to another firing source.</summary>
public sealed record Reattribution(MutedTarget Target, InhibitionMatch Inhibition);
