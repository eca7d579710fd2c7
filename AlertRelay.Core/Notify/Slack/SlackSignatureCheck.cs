namespace AlertRelay.Core.Notify.Slack;

/// <summary>The verdict of <see cref="SlackRequestSignature.Verify"/> on a request said to come from Slack.</summary>
public enum SlackSignatureCheck
{
    /// <summary>Signed with the signing secret, within the replay window.</summary>
    Valid,

    /// <summary>A header is missing or empty (<c>X-Slack-Signature</c>, <c>X-Slack-Request-Timestamp</c>).</summary>
    Missing,

    /// <summary>The timestamp is more than <see cref="SlackRequestSignature.ReplayWindow"/> away from now (a replay, or a clock far off).</summary>
    Stale,

    /// <summary>The signature does not match the body (wrong secret, tampered body, malformed header).</summary>
    BadSignature,
}
