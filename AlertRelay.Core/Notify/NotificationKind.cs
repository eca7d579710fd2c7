namespace AlertRelay.Core.Notify;

/// <summary>Why a notification is sent.</summary>
public enum NotificationKind
{
    /// <summary>An occurrence started firing (or was released from inhibition while firing).</summary>
    Firing,

    /// <summary>An occurrence resolved; threads under / updates the firing notification.</summary>
    Resolved,

    /// <summary>An escalation step notifies this receiver about an occurrence still firing and unacknowledged.</summary>
    Escalation,

    /// <summary>Storm protection: many occurrences for one receiver changed at once; one message lists them.</summary>
    Digest,

    /// <summary>
    /// An on-call action changed an occurrence (detail: acknowledged, unacknowledged, silenced, unsilenced): the message that
    /// announced it is updated to show the new state, with a reply in its thread. Queued for integrations that edit their messages.
    /// </summary>
    Update,

    /// <summary>A reminder of an occurrence still firing and unacknowledged (an escalation policy's <c>repeat</c>): a reply in the thread.</summary>
    Reminder,
}
