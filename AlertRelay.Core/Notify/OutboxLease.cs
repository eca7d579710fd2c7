namespace AlertRelay.Core.Notify;

/// <summary>A claimed notification's lease as its dispatcher took it: the notification and the <c>claimed_until_ms</c> it set.</summary>
public readonly record struct OutboxLease(long Id, long UntilMs);
