namespace AlertRelay.Core.Notify;

/// <summary>
/// What a delivered notification left behind that a later one refers to: the Slack message (channel and
/// ts, so a resolve can chat.update it and reply in its thread) or the e-mail Message-ID (so a resolve
/// threads under it with In-Reply-To and References), or the PagerDuty alert's dedup_key (so a resolve or an acknowledgement
/// names the alert it triggered).
/// </summary>
public sealed record DeliveryRef(string? SlackChannel = null, string? SlackTs = null, string? EmailMessageId = null, string? PagerDutyDedupKey = null);
