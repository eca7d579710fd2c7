namespace AlertRelay.Core.History;

/// <summary>The outcome of an acknowledgement request.</summary>
public enum AckOutcome
{
    Done,
    NotFound,
    AlreadyResolved,
    NotAcknowledged,

    /// <summary>Already acknowledged (and the acknowledgement has not expired): left as it is, no event (not with replace).</summary>
    AlreadyAcknowledged,
}
