namespace AlertRelay.Core.Notify;

/// <summary>
/// What a dispatcher asks the outbox store to lease: up to <see cref="Batch"/> due notifications, oldest due first, until
/// <see cref="Now"/> + <see cref="Lease"/>; none it already holds, none for a target that holds <c>refillBelow</c> or more,
/// and no more for a target than brings it to <c>perTarget</c>.
/// </summary>
public sealed class OutboxClaim
{
    private readonly Dictionary<NotificationTarget, int> _heldPerTarget;
    private readonly int _refillBelow;
    private readonly int _perTarget;

    public OutboxClaim(DateTimeOffset now, TimeSpan lease, int batch, IReadOnlyCollection<ClaimedNotification> held, int refillBelow, int perTarget)
    {
        Now = now;
        Lease = lease;
        Batch = batch;
        HeldIds = held.Select(n => n.Id).ToList();
        _heldPerTarget = held.GroupBy(n => n.Target).ToDictionary(g => g.Key, g => g.Count());
        _refillBelow = refillBelow;
        _perTarget = perTarget;
        FullTargets = _heldPerTarget.Where(h => h.Value >= refillBelow).Select(h => h.Key).ToList();
    }

    public DateTimeOffset Now { get; }

    public TimeSpan Lease { get; }

    /// <summary>The most notifications one claim leases.</summary>
    public int Batch { get; }

    /// <summary>The notifications the dispatcher holds already (waiting their turn or being sent): not claimed again.</summary>
    public IReadOnlyList<long> HeldIds { get; }

    /// <summary>The targets that hold enough to keep them busy: left out of the claim, so that others get the batch.</summary>
    public IReadOnlyList<NotificationTarget> FullTargets { get; }

    /// <summary>How many more notifications of <paramref name="target"/> this claim may lease.</summary>
    public int RoomFor(NotificationTarget target)
    {
        var held = _heldPerTarget.GetValueOrDefault(target);
        return held >= _refillBelow ? 0 : Math.Max(0, _perTarget - held);
    }
}
