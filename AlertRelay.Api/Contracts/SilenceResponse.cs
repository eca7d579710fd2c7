namespace AlertRelay.Api.Contracts;

/// <summary>The Alertmanager silence of an alert: its id (as <c>amtool silence query</c> shows it), who created it, and when it ends.</summary>
public sealed record SilenceResponse(string SilenceId, string By, DateTime EndsAt);
