namespace AlertRelay.Core.Configuration;

/// <summary>A named receiver and its integrations (Alertmanager's <c>receivers[]</c> entry); a receiver with none is valid and notifies nobody.</summary>
public sealed record ReceiverConfig(
    string Name,
    IReadOnlyList<SlackConfig> SlackConfigs,
    IReadOnlyList<EmailConfig> EmailConfigs,
    IReadOnlyList<WebhookConfig> WebhookConfigs);
