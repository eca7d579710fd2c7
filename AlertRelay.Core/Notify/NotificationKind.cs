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
}
