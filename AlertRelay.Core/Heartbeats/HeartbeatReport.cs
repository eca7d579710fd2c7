namespace AlertRelay.Core.Heartbeats;

/// <summary>One heartbeat as a pass found it: its configuration, stored state, decision and when watching it began.</summary>
public sealed record HeartbeatReport(Heartbeat Heartbeat, HeartbeatState State, HeartbeatDecision Decision, long WatchingSinceMs);
