namespace AlertRelay.Core.Oncall;

/// <summary>What checking a signed link found (<see cref="LinkSignature.Verify"/>); only <see cref="Valid"/> lets anything happen.</summary>
public enum LinkVerdict
{
    Valid,

    /// <summary>Well formed, but the signature does not match its id, action and expiry: changed, or signed with another secret.</summary>
    Tampered,

    /// <summary>Signed by us, but its expiry has passed.</summary>
    Expired,

    /// <summary>Missing or unreadable parts: an unknown action, an expiry that is no number, a signature that is no base64url HMAC.</summary>
    Malformed,
}
