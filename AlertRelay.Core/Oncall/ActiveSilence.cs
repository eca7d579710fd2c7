namespace AlertRelay.Core.Oncall;

/// <summary>The Alertmanager silence AlertRelay created for an occurrence: its id, who asked, until when.</summary>
public sealed record ActiveSilence(string Id, string By, DateTimeOffset EndsAt);
