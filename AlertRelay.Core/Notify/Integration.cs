namespace AlertRelay.Core.Notify;

/// <summary>
/// One integration of one receiver, as Alertmanager's <c>notify.Integration</c>: its name (<see cref="Integrations.Slack"/>,
/// <see cref="Integrations.Email"/>), its index among the receiver's entries of that name, and whether it sends resolved notifications
/// (its <c>send_resolved</c>).
/// </summary>
public sealed record Integration(string Receiver, string Name, int Index, bool SendsResolved)
{
    /// <summary>Where its notifications go, as the outbox stores it.</summary>
    public NotificationTarget Target => new(Receiver, Name, Index);
}
