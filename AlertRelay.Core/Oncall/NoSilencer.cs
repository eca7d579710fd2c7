namespace AlertRelay.Core.Oncall;

/// <summary>Silences not configured (no <c>AlertRelay:Alertmanager:Urls</c>): every request is refused, nothing changes.</summary>
public sealed class NoSilencer : ISilencer
{
    public const string Reason = "silences are not configured: set AlertRelay:Alertmanager:Urls to the Alertmanager(s) to create them in";

    public Task<OncallResult> SilenceAsync(long occurrenceId, Actor actor, TimeSpan duration, string? comment, DateTimeOffset now, CancellationToken cancellationToken) =>
        Task.FromResult(new OncallResult(OncallOutcome.Unavailable, Reason));

    public Task<OncallResult> UnsilenceAsync(long occurrenceId, Actor actor, DateTimeOffset now, CancellationToken cancellationToken) =>
        Task.FromResult(new OncallResult(OncallOutcome.Unavailable, Reason));
}
