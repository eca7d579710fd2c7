namespace AlertRelay.Core.Configuration;

/// <summary>
/// Something in a configuration file that AlertRelay accepts but does not honour (a field Alertmanager knows and AlertRelay
/// ignores, an unsupported receiver block skipped on request): where it is and what is not done. <c>config check</c> prints
/// them, start-up and reload log them, and <c>alertrelay_config_warnings</c> counts them. Never silent.
/// </summary>
public sealed record ConfigWarning(string File, int Line, string Path, string Message)
{
    /// <summary>The warning as one line, e.g. <c>alertrelay.yml:12: receivers[0].slack_configs[0].icon_url: warning: ...</c>.</summary>
    public override string ToString() =>
        Path.Length == 0 ? $"{File}:{Line}: warning: {Message}" : $"{File}:{Line}: {Path}: warning: {Message}";
}
