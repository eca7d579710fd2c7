namespace AlertRelay.Core.Oncall;

/// <summary>
/// The links already used (table <c>used_links</c>): a link acts once. Keyed by <see cref="LinkSignature.TokenHash"/>; rows are kept
/// until the link would have expired anyway (then its signature check refuses it), and go with their occurrence.
/// </summary>
public interface IUsedLinks
{
    /// <summary>
    /// Marks a link used, atomically: <see cref="LinkUse.First"/> for exactly one caller, however many replicas try at once;
    /// <see cref="LinkUse.AlreadyUsed"/> for the others; <see cref="LinkUse.NoOccurrence"/> when the occurrence no longer exists.
    /// Also forgets links expired before <paramref name="now"/>.
    /// </summary>
    Task<LinkUse> TryUseAsync(string tokenHash, long occurrenceId, string action, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Whether a link was used (read only: the page's GET shows "already used" without changing anything).</summary>
    Task<bool> IsUsedAsync(string tokenHash, CancellationToken cancellationToken);

    /// <summary>Gives a link back when its action could not be done now (nothing changed), so that it can be tried again.</summary>
    Task ReleaseAsync(string tokenHash, CancellationToken cancellationToken);

    /// <summary>What the page shows beside the query side's record: where the acknowledgement came from.</summary>
    Task<LinkPageState?> PageStateAsync(long occurrenceId, CancellationToken cancellationToken);
}
