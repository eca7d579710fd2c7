namespace AlertRelay.Core.Escalation;

/// <summary>
/// One rung of an escalation ladder: <see cref="After"/> the occurrence started firing (and while it is still
/// firing and unacknowledged), notify <see cref="Notify"/> and/or raise the severity to <see cref="SetSeverity"/>.
/// </summary>
public sealed record EscalationStep(TimeSpan After, string? Notify, string? SetSeverity);
