namespace AlertRelay.Core.Notify.Slack;

/// <summary>
/// The outcome of one Slack call, classified: <see cref="Result"/> is what the outbox acts on (delivered with the
/// message's channel id and ts, retry, or permanent), <see cref="Error"/> the error code Slack named, if any.
/// </summary>
public sealed record SlackResponse(NotifyResult Result, string? Error = null)
{
    public bool IsOk => Result is NotifyResult.Sent;

    /// <summary>The channel id Slack answered with (Web API only), or null.</summary>
    public string? Channel => (Result as NotifyResult.Sent)?.Reference?.SlackChannel;

    /// <summary>The message ts Slack answered with (Web API only), or null.</summary>
    public string? Ts => (Result as NotifyResult.Sent)?.Reference?.SlackTs;
}
