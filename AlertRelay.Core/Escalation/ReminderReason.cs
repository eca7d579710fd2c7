namespace AlertRelay.Core.Escalation;

/// <summary>Why <see cref="ReminderStage.Decide"/> decided what it did about an occurrence's reminders.</summary>
public enum ReminderReason
{
    /// <summary>The policy has no <c>repeat</c>: no reminders.</summary>
    NoRepeat,

    /// <summary>Stop: the occurrence no longer fires.</summary>
    Resolved,

    /// <summary>Paused: an active acknowledgement; look again when it expires, if it does.</summary>
    Acknowledged,

    /// <summary>Paused: an active Alertmanager silence; look again when it ends.</summary>
    Silenced,

    /// <summary>The schedule was paused (or never started): it starts again from now, one current interval later.</summary>
    Resumed,

    /// <summary>Wait: the next reminder is not due yet.</summary>
    NotYetDue,

    /// <summary>Send: a reminder is due now (one, however many were missed).</summary>
    Due,
}
