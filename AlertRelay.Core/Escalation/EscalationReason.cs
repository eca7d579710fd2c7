namespace AlertRelay.Core.Escalation;

/// <summary>Why <see cref="EscalationStage.Decide"/> decided what it did; the first three stop the ladder (for now).</summary>
public enum EscalationReason
{
    /// <summary>Stop: the occurrence no longer fires.</summary>
    Resolved,

    /// <summary>Stop: an active acknowledgement holds the ladder; look again when it expires, if it does.</summary>
    Acknowledged,

    /// <summary>Stop: the alert is silenced in Alertmanager (from AlertRelay); look again when the silence ends.</summary>
    Silenced,

    /// <summary>Stop: every step has run.</summary>
    LadderComplete,

    /// <summary>Wait: the next step is not due yet.</summary>
    NotYetDue,

    /// <summary>Run: one or more steps are due now.</summary>
    StepsDue,
}
