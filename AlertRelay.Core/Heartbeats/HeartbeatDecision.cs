namespace AlertRelay.Core.Heartbeats;

/// <summary>
/// <see cref="HeartbeatStage.Decide"/>'s answer: what to do (<see cref="Verdict"/>), how the heartbeat stands afterwards, until when it
/// is well (<see cref="DueAtMs"/>, null while missing) and why, in words.
/// </summary>
public sealed record HeartbeatDecision(HeartbeatVerdict Verdict, HeartbeatStatus Status, long? DueAtMs, string Reason);
