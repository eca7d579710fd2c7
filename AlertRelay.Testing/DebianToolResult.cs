namespace AlertRelay.Testing;

/// <summary>The outcome of one <see cref="DebianTool"/> run.</summary>
public sealed record DebianToolResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Both streams, for assertion messages: the validators print their verdicts on either.</summary>
    public string Output => StandardOutput + StandardError;
}
