namespace AlertRelay.Core.Pipeline;

/// <summary>A firing occurrence is muted by <paramref name="SourceId"/>, or released when it is null.</summary>
public sealed record InhibitionChange(long TargetId, long? SourceId);
