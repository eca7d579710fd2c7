using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlertRelay.Core.Oncall;

/// <summary>
/// <see cref="ISilencer"/> over Alertmanager's API v2: a silence of the occurrence's labels (minus
/// <see cref="AlertmanagerOptions.SilenceExcludedLabels"/>, equality matchers) created in the first Alertmanager that answers,
/// recorded through <see cref="ISilenceStore"/>; unsilencing expires it there, then records the end.
/// </summary>
/// <remarks>
/// Idempotency: two requests at once (a double click, two people, Slack's retry, two replicas) must not create two silences in
/// Alertmanager, whose API cannot refuse a duplicate. So the occurrence's silence slot is claimed in the store first, in a
/// transaction (the database decides who wins); the loser answers <see cref="OncallOutcome.AlreadyDone"/> without calling
/// Alertmanager. The claim lapses after every URL's timeout plus a margin, so a crash between claim and record frees the slot.
/// Should a claim lapse while its holder still waits on Alertmanager and another request take the slot, the late holder's record is
/// refused and it expires the duplicate it created (the only case in which two ever exist, briefly).
/// </remarks>
public sealed class AlertmanagerSilencer(
    ISilenceStore store, AlertmanagerClient alertmanager, IOptions<AlertmanagerOptions> options, ILogger<AlertmanagerSilencer> logger) : ISilencer
{
    /// <summary>How much longer than the worst case of trying every URL a claim is held.</summary>
    public static readonly TimeSpan ClaimMargin = TimeSpan.FromSeconds(30);

    private readonly IReadOnlyCollection<string> _excluded = options.Value.SilenceExcludedLabels.ToHashSet(StringComparer.Ordinal);

    public async Task<OncallResult> SilenceAsync(
        long occurrenceId, Actor actor, TimeSpan duration, string? comment, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (duration <= TimeSpan.Zero || duration > AlertmanagerOptions.MaxSilenceDuration)
        {
            return new OncallResult(OncallOutcome.Unavailable, "A silence lasts more than 0 and at most 7 days.");
        }

        var claim = "claim:" + Guid.NewGuid().ToString("N");
        SilenceClaim slot;
        var attempts = 0;
        while (true)
        {
            slot = await store.ClaimAsync(occurrenceId, claim, now, alertmanager.WorstCase + ClaimMargin, cancellationToken);
            if (slot.Outcome != SilenceClaimOutcome.AlreadySilenced || attempts++ > 0)
            {
                break;
            }

            // The store says silenced; Alertmanager has the last word (it may have been expired there since the watcher's last pass).
            var silence = slot.Silence!;
            var end = SilenceWatcher.Verdict(silence, now, await alertmanager.GetSilenceStateAsync(silence.Id, cancellationToken));
            if (end is null)
            {
                return Already(silence);
            }

            await store.ClearAsync(occurrenceId, silence.Id, end, now, cancellationToken);
        }

        switch (slot.Outcome)
        {
            case SilenceClaimOutcome.NotFound:
                return new OncallResult(OncallOutcome.NotFound, $"Alert {occurrenceId} no longer exists (retention may have removed it).");
            case SilenceClaimOutcome.AlreadyResolved:
                return new OncallResult(OncallOutcome.AlreadyResolved, "This alert is resolved: there is nothing to silence.");
            case SilenceClaimOutcome.Busy:
                return new OncallResult(OncallOutcome.AlreadyDone, "A silence is being created for this alert right now.");
            case SilenceClaimOutcome.AlreadySilenced:
                return Already(slot.Silence!);
        }

        var matchers = SilenceMatchers.From(slot.Labels, _excluded);
        if (matchers.Count == 0)
        {
            await store.ReleaseAsync(occurrenceId, claim, cancellationToken);
            return new OncallResult(OncallOutcome.Unavailable,
                "Every label of this alert is excluded (AlertRelay:Alertmanager:SilenceExcludedLabels): a silence would match every alert.");
        }

        var endsAt = now + duration;
        var text = string.IsNullOrWhiteSpace(comment) ? $"Silenced from AlertRelay (alert {occurrenceId}) by {actor.Name} via {actor.Source}" : comment.Trim();
        var answer = await alertmanager.CreateSilenceAsync(new SilenceSpec(matchers, now, endsAt, actor.Name, text), cancellationToken);
        if (!answer.IsOk)
        {
            await store.ReleaseAsync(occurrenceId, claim, cancellationToken);
            logger.LogWarning("Silence of alert {occurrence} not created: {reason}", occurrenceId, answer.Reason);
            return new OncallResult(OncallOutcome.Unavailable, $"The silence could not be created: {answer.Reason}");
        }

        var created = new ActiveSilence(answer.Value!, actor.Name, endsAt);
        if (await store.RecordAsync(occurrenceId, claim, created, actor, text, now, cancellationToken))
        {
            logger.LogInformation("Alert {occurrence} silenced by {by} until {endsAt} (silence {silence}, {matchers}; {answered})",
                occurrenceId, actor.Name, endsAt, created.Id, SilenceMatchers.Describe(matchers), answer.Reason);
            return new OncallResult(OncallOutcome.Done, $"Silenced by {actor.Name} until {Time(endsAt)} (silence {created.Id}).", created.Id);
        }

        // Our claim lapsed and another request recorded its silence: ours is a duplicate.
        var expired = await alertmanager.ExpireSilenceAsync(created.Id, cancellationToken);
        logger.LogWarning("Alert {occurrence}: silence {silence} was created after its claim lapsed; expired as a duplicate ({reason})",
            occurrenceId, created.Id, expired.Reason);
        var current = await store.FindAsync(occurrenceId, cancellationToken);
        return current.Silence is { } other ? Already(other) : new OncallResult(OncallOutcome.AlreadyDone, "A silence is being created for this alert right now.");
    }

    public async Task<OncallResult> UnsilenceAsync(long occurrenceId, Actor actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var lookup = await store.FindAsync(occurrenceId, cancellationToken);
        if (!lookup.Found)
        {
            return new OncallResult(OncallOutcome.NotFound, $"Alert {occurrenceId} no longer exists (retention may have removed it).");
        }

        if (lookup.Silence is not { } silence)
        {
            return new OncallResult(OncallOutcome.NotInThatState, "This alert is not silenced.");
        }

        var answer = await alertmanager.ExpireSilenceAsync(silence.Id, cancellationToken);
        if (answer.Kind is not (AlertmanagerAnswerKind.Ok or AlertmanagerAnswerKind.NotFound))
        {
            // Alertmanager 0.25 answers 500 for a silence it does not know: gone is what we wanted.
            var state = await alertmanager.GetSilenceStateAsync(silence.Id, cancellationToken);
            if (!(state.Kind == AlertmanagerAnswerKind.NotFound || (state.IsOk && state.Value == SilenceWatcher.ExpiredState)))
            {
                logger.LogWarning("Silence {silence} of alert {occurrence} not expired: {reason}", silence.Id, occurrenceId, answer.Reason);
                return new OncallResult(OncallOutcome.Unavailable, $"The silence could not be expired: {answer.Reason}", silence.Id);
            }
        }

        if (!await store.ClearAsync(occurrenceId, silence.Id, SilenceEnd.ByActor(actor), now, cancellationToken))
        {
            return new OncallResult(OncallOutcome.AlreadyDone, "The silence has already ended.", silence.Id);
        }

        logger.LogInformation("Alert {occurrence} unsilenced by {by} (silence {silence} expired)", occurrenceId, actor.Name, silence.Id);
        return new OncallResult(OncallOutcome.Done, $"Silence {silence.Id} expired by {actor.Name}.", silence.Id);
    }

    private static OncallResult Already(ActiveSilence silence) =>
        new(OncallOutcome.AlreadyDone, $"Already silenced by {silence.By} until {Time(silence.EndsAt)} (silence {silence.Id}).", silence.Id);

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
