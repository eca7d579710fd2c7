namespace AlertRelay.IntegrationTests.Reliability;

/// <summary>An alert occurrence as the history file holds it.</summary>
public sealed record StoredAlert(long Id, string Status, int Copies);
