namespace AlertRelay.Core.Oncall;

/// <summary>The signed parts of a link (or of a page form): occurrence, action name, expiry (unix seconds) and signature.</summary>
public sealed record LinkToken(long OccurrenceId, string Action, long ExpiresAt, string Sig)
{
    public DateTimeOffset ExpiresAtTime => DateTimeOffset.FromUnixTimeSeconds(ExpiresAt);
}
