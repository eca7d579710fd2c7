namespace AlertRelay.Core.TimeIntervals;

/// <summary>What <see cref="UnmuteStage"/> decided for a receiver whose firing notification a time interval held back.</summary>
public enum UnmuteReason
{
    /// <summary>Its routes still mute the receiver: keep waiting.</summary>
    StillMuted,

    /// <summary>The mute ended and the occurrence still fires: notify the receiver now.</summary>
    Unmuted,

    /// <summary>The occurrence resolved (or is gone): nothing to send.</summary>
    Resolved,

    /// <summary>An inhibition mutes the occurrence: its release notifies (or mutes) the receivers again.</summary>
    Inhibited,

    /// <summary>Someone acknowledged the occurrence: they know; nobody is paged late.</summary>
    Acknowledged,

    /// <summary>An Alertmanager silence covers the occurrence: sending it would undo the silence.</summary>
    Silenced,

    /// <summary>The routing tree (after a reload) no longer sends the occurrence to this receiver.</summary>
    NotRouted,

    /// <summary>The configuration (after a reload) has no time intervals any more.</summary>
    NoIntervals,
}
