using AlertRelay.Core.Configuration;

namespace AlertRelay.Core.Notify;

/// <summary>One integration of one receiver: where a notification goes ("oncall", slack, 0 = its first slack_config).</summary>
public sealed record NotificationTarget(string Receiver, string Integration, int Index)
{
    /// <summary>Every Slack, email and webhook integration of a receiver (<see cref="Integrations.Of"/>).</summary>
    public static IReadOnlyList<NotificationTarget> Of(ReceiverConfig? receiver) => [.. Integrations.Of(receiver).Select(i => i.Target)];

    /// <summary>Whether the integration wants resolve notifications (its send_resolved), false when it is gone from the config.</summary>
    public bool SendsResolved(RelayConfig config) => Integrations.Find(config, this)?.SendsResolved ?? false;
}
