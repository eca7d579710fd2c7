using AlertRelay.Core.Alerts;
using AlertRelay.Core.Oncall;

namespace AlertRelay.Core.History;

/// <summary>The timeline event details of a silence recorded and ended, on either engine, and the outbox details of the Slack updates they queue.</summary>
internal static class SilenceEvents
{
    /// <summary>The outbox detail of the Slack message updates a recorded silence queues.</summary>
    public const string SilencedUpdate = "silenced";

    /// <summary>The outbox detail of the Slack message updates an ended silence queues.</summary>
    public const string UnsilencedUpdate = "unsilenced";

    public static object Silenced(ActiveSilence silence, Actor by, string comment) =>
        new { silenceId = silence.Id, by = by.Name, byId = by.Id, via = by.Source, endsAt = Rfc3339.Format(silence.EndsAt), comment };

    public static object Unsilenced(string silenceId, SilenceEnd end) =>
        new { silenceId, reason = end.Reason, by = end.By?.Name, byId = end.By?.Id, via = end.By?.Source };
}
