using AlertRelay.Core.Notify;
using Microsoft.Extensions.Logging;

namespace AlertRelay.Core.Oncall;

/// <summary>
/// Notices recorded silences that ended: past their end (cleared as expired without asking), or expired or deleted in
/// Alertmanager (asked with <c>GET /api/v2/silence/{id}</c>). Each end is an <c>unsilenced</c> event and, while the alert fires, an
/// update of its Slack messages. When no Alertmanager answers, the silences are left as they are until the next pass.
/// </summary>
public sealed class SilenceWatcher(ISilenceStore store, AlertmanagerClient alertmanager, OutboxSignal outbox, TimeProvider time, ILogger<SilenceWatcher> logger)
{
    public const string ExpiredState = "expired";

    /// <summary>Clock skew between AlertRelay and Alertmanager under which an expired silence counts as run out, not deleted.</summary>
    public static readonly TimeSpan ClockTolerance = TimeSpan.FromSeconds(10);

    private bool _unreachable;

    /// <summary>One pass over the recorded silences; returns how many it found ended.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var ended = 0;
        AlertmanagerAnswer? unreachable = null;
        foreach (var (occurrenceId, silence) in await store.ListAsync(cancellationToken))
        {
            AlertmanagerAnswer? answer = null;
            if (silence.EndsAt > now && unreachable is null)
            {
                answer = await alertmanager.GetSilenceStateAsync(silence.Id, cancellationToken);
                if (answer.Kind == AlertmanagerAnswerKind.Unreachable)
                {
                    unreachable = answer; // the next silences would wait for the same timeouts: ask again next pass
                }
                else if (answer.Kind == AlertmanagerAnswerKind.Refused)
                {
                    logger.LogWarning("Silence {silence} of alert {occurrence}: {reason}", silence.Id, occurrenceId, answer.Reason);
                }
            }
            else if (silence.EndsAt > now)
            {
                continue;
            }

            if (Verdict(silence, now, answer) is { } end && await store.ClearAsync(occurrenceId, silence.Id, end, now, cancellationToken))
            {
                ended++;
                logger.LogInformation("Silence {silence} of alert {occurrence} ended: {reason}", silence.Id, occurrenceId, end.Reason);
            }
        }

        if (unreachable is not null && !_unreachable)
        {
            logger.LogWarning("Silences not checked: {reason}. Retrying each pass; logged again once they answer.", unreachable.Reason);
        }
        else if (unreachable is null && _unreachable)
        {
            logger.LogInformation("Alertmanager answers again: silences are checked");
        }

        _unreachable = unreachable is not null;
        if (ended > 0)
        {
            outbox.Wake();
        }

        return ended;
    }

    /// <summary>
    /// Whether a recorded silence has ended, and why (null: it holds, or nobody could say): past its end it ran out whatever
    /// Alertmanager says; Alertmanager's <c>expired</c> before that means someone expired it there; a 404 that it was deleted (or
    /// garbage-collected after its retention).
    /// </summary>
    public static SilenceEnd? Verdict(ActiveSilence silence, DateTimeOffset now, AlertmanagerAnswer? answer) =>
        silence.EndsAt <= now ? SilenceEnd.RanOut
        : answer is null ? null
        : answer.Kind == AlertmanagerAnswerKind.NotFound ? SilenceEnd.DeletedInAlertmanager
        : answer.IsOk && answer.Value == ExpiredState ? (silence.EndsAt - now <= ClockTolerance ? SilenceEnd.RanOut : SilenceEnd.DeletedInAlertmanager)
        : null;
}
