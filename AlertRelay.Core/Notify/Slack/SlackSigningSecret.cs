namespace AlertRelay.Core.Notify.Slack;

/// <summary>
/// The signing secret as read at start-up (<see cref="SlackOptions"/>): <see cref="Value"/> null means interactivity is off, and
/// <see cref="Problem"/> says why, for the one start-up warning.
/// </summary>
public sealed class SlackSigningSecret
{
    private SlackSigningSecret(string? value, string? problem)
    {
        Value = value;
        Problem = problem;
    }

    public string? Value { get; }

    public string? Problem { get; }

    public bool IsConfigured => Value is not null;

    public static SlackSigningSecret Disabled(string problem) => new(null, problem);

    public static SlackSigningSecret Of(string secret) => new(secret, null);

    /// <summary>Reads the inline secret, else the file (trimmed); a missing, unreadable or empty file turns interactivity off, saying why.</summary>
    public static SlackSigningSecret Load(SlackOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.SigningSecret))
        {
            return Of(options.SigningSecret.Trim());
        }

        const string Unset = "Slack interactivity is off: no signing secret (set AlertRelay:Slack:SigningSecret or AlertRelay:Slack:SigningSecretFile); Slack messages carry no Acknowledge/Silence buttons and POST /slack/interactions refuses every request";
        if (string.IsNullOrWhiteSpace(options.SigningSecretFile))
        {
            return Disabled(Unset);
        }

        string text;
        try
        {
            text = File.ReadAllText(options.SigningSecretFile).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return Disabled($"Slack interactivity is off: cannot read AlertRelay:Slack:SigningSecretFile {options.SigningSecretFile}: {ex.Message}");
        }

        return text.Length == 0
            ? Disabled($"Slack interactivity is off: AlertRelay:Slack:SigningSecretFile {options.SigningSecretFile} is empty")
            : Of(text);
    }
}
