namespace AlertRelay.IntegrationTests.Reliability;

/// <summary>A notification row of the outbox, with the alert it is about.</summary>
public sealed record StoredNotification(long Id, string Alert, string Integration, string Kind, string Status, int Attempts, string? DeliveryRef);
