namespace AlertRelay.Core.Oncall;

/// <summary>What became of an on-call action (<see cref="OncallResult.Outcome"/>).</summary>
public enum OncallOutcome
{
    /// <summary>Done now: recorded, escalation and reminders stopped (or resumed), the messages queued for update.</summary>
    Done,

    /// <summary>Nothing to do: already in that state (a double click, two people at once, Slack's retry). Not an error.</summary>
    AlreadyDone,

    /// <summary>No occurrence has that id (deleted by retention, or never existed).</summary>
    NotFound,

    /// <summary>The occurrence is resolved: there is nothing to acknowledge or silence.</summary>
    AlreadyResolved,

    /// <summary>Unacknowledge or unsilence asked of an occurrence that is not acknowledged or silenced.</summary>
    NotInThatState,

    /// <summary>The action cannot be done now (Alertmanager unreachable or refusing, silences not configured): nothing changed.</summary>
    Unavailable,
}
