namespace ECommerce.Api.Health;

/// <summary>The body of <c>/api/health</c>.</summary>
public sealed record HealthResponse(string Status, string Database);
