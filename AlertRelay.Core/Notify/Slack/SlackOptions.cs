namespace AlertRelay.Core.Notify.Slack;

/// <summary>
/// Slack interactivity (<c>AlertRelay:Slack</c>): the app's signing secret, inline or in a file, read once at start-up (none: no
/// buttons, and <c>POST /slack/interactions</c> refuses everything), and the limit on failed verifications per address.
/// </summary>
public sealed class SlackOptions
{
    public const string SectionName = "AlertRelay:Slack";

    /// <summary>The Slack app's signing secret (Basic Information → App Credentials).</summary>
    public string? SigningSecret { get; set; }

    /// <summary>A file holding the signing secret (a mounted secret); used when <see cref="SigningSecret"/> is empty.</summary>
    public string? SigningSecretFile { get; set; }

    /// <summary>Failed verifications one address may make in <see cref="FailureWindowSeconds"/> before it gets 429 instead of 401.</summary>
    public int MaxVerificationFailures { get; set; } = 10;

    public double FailureWindowSeconds { get; set; } = 60;

    public IEnumerable<string> Validate()
    {
        if (MaxVerificationFailures < 1)
        {
            yield return $"{SectionName}:MaxVerificationFailures must be at least 1, not {MaxVerificationFailures}";
        }

        if (FailureWindowSeconds is <= 0 or > 86_400)
        {
            yield return $"{SectionName}:FailureWindowSeconds must be more than 0 and at most 86400, not {FailureWindowSeconds}";
        }
    }
}
