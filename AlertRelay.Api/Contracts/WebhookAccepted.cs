namespace AlertRelay.Api.Contracts;

/// <summary>The answer to an accepted webhook: alerts in it, new occurrences, changed occurrences, duplicates dropped.</summary>
public sealed record WebhookAccepted(int Alerts, int Created, int Changed, int Duplicates);
