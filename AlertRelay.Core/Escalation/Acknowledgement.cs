namespace AlertRelay.Core.Escalation;

/// <summary>Someone taking an occurrence in hand: it stops escalation until <see cref="ExpiresAt"/> (or for good when that is null).</summary>
public sealed record Acknowledgement(string By, string? Comment, DateTimeOffset At, DateTimeOffset? ExpiresAt)
{
    /// <summary>Whether the acknowledgement still holds at <paramref name="now"/>: it never expires, or expires after now (expired at exactly <see cref="ExpiresAt"/>).</summary>
    public bool IsActiveAt(DateTimeOffset now) => ExpiresAt is not { } expiresAt || now < expiresAt;
}
