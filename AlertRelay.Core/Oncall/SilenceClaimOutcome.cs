namespace AlertRelay.Core.Oncall;

/// <summary>What claiming an occurrence's silence slot found (<see cref="ISilenceStore.ClaimAsync"/>).</summary>
public enum SilenceClaimOutcome
{
    /// <summary>The slot is this caller's until the claim lapses: create the silence, then record it (or release the slot).</summary>
    Claimed,

    NotFound,

    AlreadyResolved,

    /// <summary>A silence recorded for the occurrence has not ended yet (<see cref="SilenceClaim.Silence"/>).</summary>
    AlreadySilenced,

    /// <summary>Another request holds the slot right now: it is creating the silence.</summary>
    Busy,
}
