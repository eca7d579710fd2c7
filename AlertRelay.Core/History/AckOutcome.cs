namespace AlertRelay.Core.History;

/// <summary>The outcome of an acknowledgement request.</summary>
public enum AckOutcome
{
    Done,
    NotFound,
    AlreadyResolved,
    NotAcknowledged,
}
