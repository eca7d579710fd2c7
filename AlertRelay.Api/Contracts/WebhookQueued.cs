namespace AlertRelay.Api.Contracts;

/// <summary>
/// The 202 answer to a webhook stored in the inbox but not applied yet: <c>{"alerts": 10, "queued": true, "inboxId": 123}</c>. The
/// alerts are durable (they survive a crash) and appear in the API once the writer applies them, normally within a second.
/// </summary>
public sealed record WebhookQueued(int Alerts, bool Queued, long InboxId);
