using AlertRelay.Core.Oncall;

namespace AlertRelay.Core.Notify.Slack;

/// <summary>What a button asks for: an on-call action on an occurrence (with a duration for a silence).</summary>
public sealed record SlackButtonAction(OncallActionKind Kind, long OccurrenceId, TimeSpan? Duration = null);
