namespace AlertRelay.Core.Ingest;

/// <summary>Where an alert came from: the Alertmanager receiver, group and instance that sent it.</summary>
public sealed record AlertContext(string Receiver, string GroupKey, string ExternalUrl)
{
    public static AlertContext Of(WebhookMessage message) => new(message.Receiver, message.GroupKey, message.ExternalUrl);
}
