namespace AlertRelay.Core.Oncall;

/// <summary>
/// Creates and expires the Alertmanager silence of an occurrence (Alertmanager's API v2 at <c>AlertRelay:Alertmanager:Urls</c>), and
/// records it: the silence columns of the occurrence, a <c>silenced</c> / <c>unsilenced</c> timeline event with the actor, and the
/// Slack messages queued for update (detail "silenced" / "unsilenced").
/// </summary>
public interface ISilencer
{
    Task<OncallResult> SilenceAsync(long occurrenceId, Actor actor, TimeSpan duration, string? comment, DateTimeOffset now, CancellationToken cancellationToken);

    Task<OncallResult> UnsilenceAsync(long occurrenceId, Actor actor, DateTimeOffset now, CancellationToken cancellationToken);
}
