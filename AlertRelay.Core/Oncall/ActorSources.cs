namespace AlertRelay.Core.Oncall;

/// <summary>Where an on-call action came from (<see cref="Actor.Source"/>; stored in <c>acked_via</c> and in timeline events).</summary>
public static class ActorSources
{
    /// <summary>The REST API (a script or CI with the read token).</summary>
    public const string Api = "api";

    /// <summary>A button of a Slack message (<c>POST /slack/interactions</c>, signature verified).</summary>
    public const string Slack = "slack";

    /// <summary>A signed action link (from an email, or the alert page that Slack's "Open in AlertRelay" opens).</summary>
    public const string Link = "link";
}
