using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.Dedup;

/// <summary>
/// The newest occurrence of a fingerprint: its identity, and (once <see cref="IsLoaded"/>) the state that
/// deduplication compares against. Filled from the store, only id and startsAt are known at first.
/// </summary>
/// <remarks>The 8-byte fields come first: 40 bytes a value (the two flags share the padding), 56 a dictionary entry.</remarks>
public readonly record struct IdentityEntry(
    long Id, long StartsAtMs, long EndsAtMs, ulong AnnotationsHash, AlertStatus Status, bool IsLoaded, bool ReopenPending = false)
{
    private const long NoEnd = long.MinValue;

    public static IdentityEntry Unloaded(long id, long startsAtMs) => new(id, startsAtMs, NoEnd, 0, AlertStatus.Firing, IsLoaded: false);

    public static IdentityEntry Of(long id, long startsAtMs, OccurrenceState stored) =>
        new(id, startsAtMs, stored.EndsAtMs ?? NoEnd, stored.AnnotationsHash, stored.Status, IsLoaded: true, stored.ReopenPending);

    public static IdentityEntry Of(long id, long startsAtMs, AlertStatus status, long? endsAtMs, ulong annotationsHash, bool reopenPending = false) =>
        new(id, startsAtMs, endsAtMs ?? NoEnd, annotationsHash, status, IsLoaded: true, reopenPending);

    public long? EndsAt => EndsAtMs == NoEnd ? null : EndsAtMs;

    public OccurrenceState ToState() => new(Id, Status, AnnotationsHash, EndsAt, ReopenPending);
}
