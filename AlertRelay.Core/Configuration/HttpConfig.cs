using System.Text;

namespace AlertRelay.Core.Configuration;

/// <summary>
/// The parts of an Alertmanager <c>http_config</c> that AlertRelay honours: the <c>Authorization</c> header (<c>authorization</c>, or
/// the older <c>bearer_token</c> / <c>bearer_token_file</c>), <c>basic_auth</c> and <c>follow_redirects</c>. The reader refuses the
/// rest (proxies, client certificates, OAuth 2); secrets are redacted from <see cref="object.ToString"/>.
/// </summary>
public sealed record HttpConfig
{
    /// <summary>Nothing set: no credentials, redirects followed (Alertmanager's defaults).</summary>
    public static HttpConfig Default { get; } = new();

    /// <summary><c>authorization.type</c>: the scheme of the Authorization header (default <c>Bearer</c>).</summary>
    public string AuthorizationType { get; init; } = "Bearer";

    /// <summary><c>authorization.credentials</c> (or <c>bearer_token</c>): the header's credentials (secret).</summary>
    public string? Credentials { get; init; }

    /// <summary><c>authorization.credentials_file</c> (or <c>bearer_token_file</c>): a file holding them, read at each request.</summary>
    public string? CredentialsFile { get; init; }

    /// <summary>Whether <c>basic_auth</c> is set (its username may be empty).</summary>
    public bool HasBasicAuth { get; init; }

    /// <summary><c>basic_auth.username</c>.</summary>
    public string? Username { get; init; }

    /// <summary><c>basic_auth.username_file</c>: a file holding the username, read at each request.</summary>
    public string? UsernameFile { get; init; }

    /// <summary><c>basic_auth.password</c> (secret).</summary>
    public string? Password { get; init; }

    /// <summary><c>basic_auth.password_file</c>: a file holding the password, read at each request.</summary>
    public string? PasswordFile { get; init; }

    /// <summary><c>follow_redirects</c>: whether 3xx answers are followed (Alertmanager's default: true).</summary>
    public bool FollowRedirects { get; init; } = true;

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"AuthorizationType = {AuthorizationType}, Credentials = {(Credentials is null ? null : "<secret>")}, ");
        builder.Append($"CredentialsFile = {CredentialsFile}, HasBasicAuth = {HasBasicAuth}, Username = {Username}, UsernameFile = {UsernameFile}, ");
        builder.Append($"Password = {(Password is null ? null : "<secret>")}, PasswordFile = {PasswordFile}, FollowRedirects = {FollowRedirects}");
        return true;
    }
}
