namespace AlertRelay.Core.Configuration;

/// <summary>A named receiver and its integrations (Alertmanager's <c>receivers[]</c> entry); a receiver with none is valid and notifies nobody.</summary>
public sealed record ReceiverConfig(
    string Name,
    IReadOnlyList<SlackConfig> SlackConfigs,
    IReadOnlyList<EmailConfig> EmailConfigs,
    IReadOnlyList<WebhookConfig> WebhookConfigs)
{
    /// <summary><c>pagerduty_configs</c> (Events API v2).</summary>
    public IReadOnlyList<PagerDutyConfig> PagerDutyConfigs { get; init; } = [];

    /// <summary><c>msteamsv2_configs</c> (Teams Workflows webhooks).</summary>
    public IReadOnlyList<MsTeamsV2Config> MsTeamsV2Configs { get; init; } = [];
}
