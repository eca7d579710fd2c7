using AlertRelay.Core.History;
using AlertRelay.Core.Notify;

namespace AlertRelay.Core.Oncall;

/// <summary>
/// <see cref="IOncallActions"/> over the acknowledgement store and the silencer: reads the clock once per action, turns store
/// outcomes into sentences for the person who asked, and wakes the dispatcher when Slack messages were queued for update.
/// </summary>
public sealed class OncallActions(IAcknowledgements acknowledgements, ISilencer silencer, OutboxSignal outbox, TimeProvider time) : IOncallActions
{
    public async Task<OncallResult> AcknowledgeAsync(long occurrenceId, Actor actor, string? comment, CancellationToken cancellationToken)
    {
        var outcome = await acknowledgements.AcknowledgeAsync(occurrenceId, actor, comment, null, replace: false, time.GetUtcNow(), cancellationToken);
        return Woken(outcome switch
        {
            AckOutcome.Done => new OncallResult(OncallOutcome.Done, $"Acknowledged by {actor.Name}."),
            AckOutcome.AlreadyAcknowledged => new OncallResult(OncallOutcome.AlreadyDone, "Already acknowledged."),
            AckOutcome.AlreadyResolved => new OncallResult(OncallOutcome.AlreadyResolved, "This alert is resolved: there is nothing to acknowledge."),
            _ => NotFound(occurrenceId),
        });
    }

    public async Task<OncallResult> UnacknowledgeAsync(long occurrenceId, Actor actor, CancellationToken cancellationToken)
    {
        var outcome = await acknowledgements.UnacknowledgeAsync(occurrenceId, actor, time.GetUtcNow(), cancellationToken);
        return Woken(outcome switch
        {
            AckOutcome.Done => new OncallResult(OncallOutcome.Done, $"Acknowledgement taken back by {actor.Name}: escalation resumes."),
            AckOutcome.NotAcknowledged => new OncallResult(OncallOutcome.NotInThatState, "This alert is not acknowledged."),
            _ => NotFound(occurrenceId),
        });
    }

    public async Task<OncallResult> SilenceAsync(long occurrenceId, Actor actor, TimeSpan duration, string? comment, CancellationToken cancellationToken) =>
        Woken(await silencer.SilenceAsync(occurrenceId, actor, duration, comment, time.GetUtcNow(), cancellationToken));

    public async Task<OncallResult> UnsilenceAsync(long occurrenceId, Actor actor, CancellationToken cancellationToken) =>
        Woken(await silencer.UnsilenceAsync(occurrenceId, actor, time.GetUtcNow(), cancellationToken));

    private OncallResult Woken(OncallResult result)
    {
        if (result.Changed)
        {
            outbox.Wake();
        }

        return result;
    }

    private static OncallResult NotFound(long occurrenceId) =>
        new(OncallOutcome.NotFound, $"Alert {occurrenceId} no longer exists (retention may have removed it).");
}
