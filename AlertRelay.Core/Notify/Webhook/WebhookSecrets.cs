using System.Net.Http.Headers;
using System.Text;
using AlertRelay.Core.Configuration;

namespace AlertRelay.Core.Notify.Webhook;

/// <summary>
/// Reads what a webhook delivery needs from its secrets at each send (so a rotated <c>url_file</c> or <c>credentials_file</c> is
/// picked up without a reload): the URL and the Authorization header. A file that cannot be read is an error value, never the secret.
/// </summary>
public static class WebhookSecrets
{
    /// <summary>The URL from <c>url</c> or <c>url_file</c> (trimmed), or why there is none.</summary>
    public static async Task<(Uri? Url, string? Error)> UrlAsync(WebhookConfig config, CancellationToken cancellationToken)
    {
        var (text, error) = await ReadAsync(config.Url, config.UrlFile, "url", cancellationToken);
        if (error is not null || text is null)
        {
            return (null, error ?? "webhook: no url or url_file");
        }

        return WebhookConfig.UrlProblem(text) is { } problem
            ? (null, $"webhook: {(config.UrlFile is null ? "url" : $"url_file {config.UrlFile}")}: {problem}")
            : (new Uri(text), null);
    }

    /// <summary>The Authorization header <c>http_config</c> asks for (authorization, bearer_token or basic_auth), null for none, or why it cannot be made.</summary>
    public static async Task<(AuthenticationHeaderValue? Header, string? Error)> AuthorizationAsync(HttpConfig http, CancellationToken cancellationToken)
    {
        if (http.HasBasicAuth)
        {
            var (username, userError) = await ReadAsync(http.Username, http.UsernameFile, "basic_auth username", cancellationToken);
            var (password, passwordError) = await ReadAsync(http.Password, http.PasswordFile, "basic_auth password", cancellationToken);
            if ((userError ?? passwordError) is { } error)
            {
                return (null, error);
            }

            var pair = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}"));
            return (new AuthenticationHeaderValue("Basic", pair), null);
        }

        var (credentials, credentialsError) = await ReadAsync(http.Credentials, http.CredentialsFile, "authorization credentials", cancellationToken);
        if (credentialsError is not null)
        {
            return (null, credentialsError);
        }

        if (credentials is null)
        {
            return (null, null);
        }

        return credentials.Any(c => c is < ' ' or > '~')
            ? (null, "webhook: the authorization credentials contain control or non-ASCII characters")
            : (new AuthenticationHeaderValue(http.AuthorizationType, credentials), null);
    }

    /// <summary>The inline value, else the file's content trimmed (as prometheus/common reads *_file), else null; an unreadable or empty file is an error.</summary>
    private static async Task<(string? Value, string? Error)> ReadAsync(string? inline, string? file, string name, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(inline))
        {
            return (inline.Trim(), null);
        }

        if (string.IsNullOrEmpty(file))
        {
            return (null, null);
        }

        var (text, failure) = await SecretText.ReadFileAsync(file, cancellationToken);
        return failure is not null ? (null, $"webhook: cannot read {name} file {file}: {failure}")
            : text!.Length == 0 ? (null, $"webhook: {name} file {file} is empty")
            : (text, null);
    }
}
