namespace AlertRelay.Tests.Monitoring;

/// <summary>The outcome of one <see cref="MonitoringTool"/> run.</summary>
public sealed record MonitoringToolResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Both streams, for assertion messages: the validators print their verdicts on either.</summary>
    public string Output => StandardOutput + StandardError;
}
