using System.Globalization;

namespace AlertRelay.Core.Oncall;

/// <summary>
/// Signed links to the alert page: <c>{PublicUrl}/alerts/{id}?action=..&amp;exp=..&amp;sig=..</c>, valid for
/// <see cref="AlertLinksOptions.ExpiryHours"/> from when they are made (see <see cref="LinkSignature"/>).
/// </summary>
public sealed class AlertLinks : IAlertLinks
{
    private readonly byte[] _secret;
    private readonly string _publicUrl;

    public AlertLinks(byte[] secret, string publicUrl, TimeSpan expiry)
    {
        if (secret.Length < AlertLinksOptions.MinSecretBytes)
        {
            throw new ArgumentException($"a link secret needs at least {AlertLinksOptions.MinSecretBytes} bytes", nameof(secret));
        }

        _secret = secret;
        _publicUrl = publicUrl.TrimEnd('/');
        Expiry = expiry;
    }

    /// <summary>How long a link is valid after it is made.</summary>
    public TimeSpan Expiry { get; }

    public Uri? Page(long occurrenceId, DateTimeOffset now) => Make(occurrenceId, LinkAction.View, now);

    public Uri? Action(long occurrenceId, OncallActionKind action, DateTimeOffset now) => Make(occurrenceId, LinkAction.Of(action), now);

    /// <summary>A fresh token (expiry and signature) for a form of the page.</summary>
    public LinkToken Token(long occurrenceId, LinkAction action, DateTimeOffset now)
    {
        var exp = (now + Expiry).ToUnixTimeSeconds();
        return new LinkToken(occurrenceId, action.Name, exp, LinkSignature.Sign(_secret, occurrenceId, action.Name, exp));
    }

    public LinkVerdict Verify(long occurrenceId, string? action, string? exp, string? sig, DateTimeOffset now) =>
        LinkSignature.Verify(_secret, occurrenceId, action, exp, sig, now);

    public Uri Make(long occurrenceId, LinkAction action, DateTimeOffset now)
    {
        var token = Token(occurrenceId, action, now);
        return new Uri(string.Create(CultureInfo.InvariantCulture,
            $"{_publicUrl}/alerts/{occurrenceId}?action={token.Action}&exp={token.ExpiresAt}&sig={token.Sig}"));
    }
}
