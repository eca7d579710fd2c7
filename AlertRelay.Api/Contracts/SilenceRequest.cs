namespace AlertRelay.Api.Contracts;

/// <summary>The body of <c>POST /api/alerts/{id}/silence</c>: who silences, for how long (a Prometheus duration: <c>1h</c>, <c>30m</c>, <c>1d</c>), and why.</summary>
public sealed record SilenceRequest(string? By, string? Duration, string? Comment);
