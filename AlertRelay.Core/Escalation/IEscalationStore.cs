namespace AlertRelay.Core.Escalation;

/// <summary>Where the escalation ladders are (the <c>escalations</c> table of the history, SQLite or PostgreSQL).</summary>
public interface IEscalationStore
{
    /// <summary>Whether a ladder is due at <paramref name="nowMs"/>; a read that takes no write lock, for idle passes.</summary>
    Task<bool> AnyDueAsync(long nowMs, CancellationToken cancellationToken);

    /// <summary>
    /// One pass in one write transaction: takes up to <paramref name="max"/> due ladders (oldest due first), asks
    /// <paramref name="plan"/> what to do with each and persists every plan, or none. Returns the plans.
    /// </summary>
    Task<IReadOnlyList<EscalationPlan>> RunDueAsync(long nowMs, int max, Func<DueEscalation, EscalationPlan> plan, CancellationToken cancellationToken);
}
