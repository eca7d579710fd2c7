using AlertRelay.Core.Configuration;

namespace AlertRelay.Core.Notify;

/// <summary>
/// Reads a secret an integration needs at each send (so a rotated <c>*_file</c> is picked up without a reload): the inline value, else
/// the file's content trimmed (as prometheus/common reads *_file). Errors name the field and the file, never the secret.
/// </summary>
public static class SecretText
{
    /// <summary>The secret from <paramref name="inline"/> or <paramref name="file"/>, or why there is none (<paramref name="what"/> names it, e.g. "pagerduty: routing_key").</summary>
    public static async Task<(string? Value, string? Error)> ReadAsync(string? inline, string? file, string what, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(inline))
        {
            return (inline.Trim(), null);
        }

        if (string.IsNullOrEmpty(file))
        {
            return (null, $"{what}: not configured");
        }

        var (text, failure) = await ReadFileAsync(file, cancellationToken);
        return failure is not null ? (null, $"{what}: cannot read file {file}: {failure}")
            : text!.Length == 0 ? (null, $"{what}: file {file} is empty")
            : (text, null);
    }

    /// <summary>
    /// A secret file's content, trimmed (as prometheus/common reads <c>*_file</c>), read at each send so that a rotated secret is
    /// picked up; or why it could not be read. The callers word their own errors (and never repeat the secret).
    /// </summary>
    public static async Task<(string? Text, string? Failure)> ReadFileAsync(string file, CancellationToken cancellationToken)
    {
        try
        {
            return ((await File.ReadAllTextAsync(file, cancellationToken)).Trim(), null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return (null, ex.Message);
        }
    }

    /// <summary>A URL secret (a webhook URL with its signature): read, then checked as an http(s) URL; errors never repeat it.</summary>
    public static async Task<(Uri? Url, string? Error)> UrlAsync(string? inline, string? file, string what, CancellationToken cancellationToken)
    {
        var (text, error) = await ReadAsync(inline, file, what, cancellationToken);
        if (text is null)
        {
            return (null, error);
        }

        return WebhookConfig.UrlProblem(text) is { } problem ? (null, $"{what}{(inline is null ? $" file {file}" : "")}: {problem}") : (new Uri(text), null);
    }
}
