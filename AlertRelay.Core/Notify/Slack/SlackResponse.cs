namespace AlertRelay.Core.Notify.Slack;

/// <summary>The classified outcome of one Slack call: the result for the outbox (with channel id and ts when delivered) and Slack's error code, if any.</summary>
public sealed record SlackResponse(NotifyResult Result, string? Error = null)
{
    public bool IsOk => Result is NotifyResult.Sent;

    /// <summary>The channel id Slack answered with (Web API only), or null.</summary>
    public string? Channel => (Result as NotifyResult.Sent)?.Reference?.SlackChannel;

    /// <summary>The message ts Slack answered with (Web API only), or null.</summary>
    public string? Ts => (Result as NotifyResult.Sent)?.Reference?.SlackTs;
}
