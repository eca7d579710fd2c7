using System.Text;
using AlertRelay.Core.Configuration;

namespace AlertRelay.Core.Oncall;

/// <summary>
/// Signed action links, bound to <c>AlertRelay:Links</c>, with <see cref="PublicUrl"/> from <c>AlertRelay:PublicUrl</c>. Links are on
/// when both a secret and the public URL are set; with either missing they are off (one start-up warning, nothing rendered).
/// </summary>
public sealed class AlertLinksOptions
{
    public const string SectionName = "AlertRelay:Links";

    /// <summary>The setting <see cref="PublicUrl"/> is read from (not under <see cref="SectionName"/>: Slack and the page share it).</summary>
    public const string PublicUrlSetting = "AlertRelay:PublicUrl";

    /// <summary>The fewest bytes a secret may have: HMAC-SHA256's block of security (32 bytes, e.g. <c>openssl rand -base64 32</c>).</summary>
    public const int MinSecretBytes = 32;

    public const int DefaultExpiryHours = 24;

    /// <summary>The HMAC key (UTF-8 bytes), inline.</summary>
    public string? Secret { get; set; }

    /// <summary>A file holding the HMAC key (Docker/Kubernetes secrets); trimmed. <see cref="Secret"/> wins when both are set.</summary>
    public string? SecretFile { get; set; }

    /// <summary>How long a link stays valid after the message carrying it was rendered.</summary>
    public int ExpiryHours { get; set; } = DefaultExpiryHours;

    /// <summary>The absolute http(s) URL a browser reaches AlertRelay at (links start with it).</summary>
    public string? PublicUrl { get; set; }

    /// <summary>Whether both a secret and a public URL are configured.</summary>
    public bool IsEnabled => (!string.IsNullOrEmpty(Secret) || !string.IsNullOrEmpty(SecretFile)) && !string.IsNullOrWhiteSpace(PublicUrl);

    /// <summary>Why links are off (names the missing settings), or null when they are on.</summary>
    public string? DisabledReason()
    {
        if (IsEnabled)
        {
            return null;
        }

        var missing = new List<string>();
        if (string.IsNullOrEmpty(Secret) && string.IsNullOrEmpty(SecretFile))
        {
            missing.Add($"{SectionName}:Secret (or SecretFile)");
        }

        if (string.IsNullOrWhiteSpace(PublicUrl))
        {
            missing.Add(PublicUrlSetting);
        }

        return $"signed alert links are off: {string.Join(" and ", missing)} not set. Emails carry no Acknowledge / Silence links and /alerts/{{id}} answers 404.";
    }

    /// <summary>The key bytes: <see cref="Secret"/>, or the trimmed content of <see cref="SecretFile"/>.</summary>
    public byte[] ResolveSecret() =>
        Encoding.UTF8.GetBytes(SecretSetting.Read(Secret, SecretFile) ?? throw new InvalidOperationException($"{SectionName}:Secret is not set"));

    /// <summary>The problems that refuse the start, each naming its setting.</summary>
    public IEnumerable<string> Validate()
    {
        if (ExpiryHours is < 1 or > 24 * 31)
        {
            yield return $"{SectionName}:ExpiryHours must be between 1 and 744 (31 days), not {ExpiryHours}";
        }

        if (!string.IsNullOrWhiteSpace(PublicUrl)
            && !(Uri.TryCreate(PublicUrl, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
                && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment)))
        {
            yield return $"{PublicUrlSetting} must be an absolute http(s) URL without query or fragment (the address browsers reach AlertRelay at), not \"{PublicUrl}\"";
        }

        if (string.IsNullOrEmpty(Secret) && string.IsNullOrEmpty(SecretFile))
        {
            yield break;
        }

        var setting = !string.IsNullOrEmpty(Secret) ? $"{SectionName}:Secret" : $"{SectionName}:SecretFile";
        if (SecretProblem() is { } problem)
        {
            yield return $"{setting} {problem}";
        }
    }

    private string? SecretProblem()
    {
        byte[] secret;
        try
        {
            secret = ResolveSecret();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"cannot be read: {ex.Message}";
        }

        return secret.Length < MinSecretBytes
            ? $"must be at least {MinSecretBytes} bytes (it has {secret.Length}): generate one with `openssl rand -base64 32`"
            : null;
    }
}
