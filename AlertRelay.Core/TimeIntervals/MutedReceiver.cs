namespace AlertRelay.Core.TimeIntervals;

/// <summary>A receiver that gets no notification because every route that chose it is muted (the first route's decision).</summary>
public sealed record MutedReceiver(string Receiver, MuteDecision Decision);
