namespace AlertRelay.Core.Notify.Slack;

/// <summary>The <c>action_id</c>s of AlertRelay's buttons in Slack messages: what <c>POST /slack/interactions</c> acts on.</summary>
public static class SlackActionIds
{
    /// <summary>Acknowledge; value: the occurrence id.</summary>
    public const string Acknowledge = "ack";

    /// <summary>Take the acknowledgement back; value: the occurrence id.</summary>
    public const string Unacknowledge = "unack";

    /// <summary>Silence in Alertmanager; value: <c>{occurrence id}:{duration}</c>, e.g. <c>42:1h</c>.</summary>
    public const string Silence = "silence";

    /// <summary>The select of other silence durations next to Silence 1h; option values as <see cref="Silence"/>'s.</summary>
    public const string SilenceFor = "silence_for";

    /// <summary>The "Open in AlertRelay" link button: Slack reports its clicks too; nothing to do.</summary>
    public const string Open = "open";

    /// <summary>The button value of a silence of <paramref name="duration"/>.</summary>
    public static string SilenceValue(long occurrenceId, TimeSpan duration) =>
        $"{occurrenceId.ToString(System.Globalization.CultureInfo.InvariantCulture)}:{NotificationText.Duration(duration)}";
}
