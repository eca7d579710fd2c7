namespace AlertRelay.Core.TimeIntervals;

/// <summary>The receivers to notify now and the ones time intervals mute, each once, in routing-tree order.</summary>
public sealed record ReceiverSelection(IReadOnlyList<string> Send, IReadOnlyList<MutedReceiver> Muted);
