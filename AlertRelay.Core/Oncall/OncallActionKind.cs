namespace AlertRelay.Core.Oncall;

/// <summary>The on-call actions a button, a link or the API can take on an occurrence.</summary>
public enum OncallActionKind
{
    Acknowledge,
    Unacknowledge,
    Silence,
    Unsilence,
}
