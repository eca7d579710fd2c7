using AlertRelay.Core.Configuration;

namespace AlertRelay.Core.Notify;

/// <summary>One integration of one receiver: where a notification goes ("oncall", slack, 0 = its first slack_config).</summary>
public sealed record NotificationTarget(string Receiver, string Integration, int Index)
{
    /// <summary>Every Slack and email integration of a receiver (webhook_configs are not delivered by AlertRelay).</summary>
    public static IReadOnlyList<NotificationTarget> Of(ReceiverConfig? receiver) =>
        receiver is null
            ? []
            : [
                .. receiver.SlackConfigs.Select((_, i) => new NotificationTarget(receiver.Name, Integrations.Slack, i)),
                .. receiver.EmailConfigs.Select((_, i) => new NotificationTarget(receiver.Name, Integrations.Email, i)),
            ];

    /// <summary>Whether the integration wants resolve notifications (its send_resolved), false when it is gone from the config.</summary>
    public bool SendsResolved(RelayConfig config)
    {
        var receiver = config.FindReceiver(Receiver);
        return Integration switch
        {
            Integrations.Slack => receiver?.SlackConfigs.ElementAtOrDefault(Index)?.SendResolved ?? false,
            Integrations.Email => receiver?.EmailConfigs.ElementAtOrDefault(Index)?.SendResolved ?? false,
            _ => false,
        };
    }
}
