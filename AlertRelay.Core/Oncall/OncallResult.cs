namespace AlertRelay.Core.Oncall;

/// <summary>
/// The outcome of an on-call action with a sentence for the person who asked (Slack's ephemeral answer, the page, the API's
/// problem detail), and the Alertmanager silence id when the action created or concerns one.
/// </summary>
public sealed record OncallResult(OncallOutcome Outcome, string Message, string? SilenceId = null)
{
    public bool Changed => Outcome == OncallOutcome.Done;
}
