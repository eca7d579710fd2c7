namespace AlertRelay.Core.Notify.Slack;

/// <summary>
/// What a firing message about one alert may offer besides its content: the interactive buttons (Acknowledge / Unacknowledge,
/// Silence 1h: only with a signing secret and the Web API, since incoming webhooks receive no interactions) and the alert page.
/// </summary>
/// <param name="Buttons">Render the interactive buttons.</param>
/// <param name="Page">The alert page for "Open in AlertRelay", or null (links disabled).</param>
public sealed record SlackOncallView(bool Buttons, Uri? Page)
{
    /// <summary>No buttons, no link: the message as before the on-call loop.</summary>
    public static SlackOncallView None { get; } = new(false, null);
}
