namespace AlertRelay.Api.Contracts;

/// <summary>The body of <c>GET /api/oncall</c>: every schedule at <c>at</c> (the request's <c>?at=</c>, else now), in configuration order.</summary>
public sealed record OncallListResponse(DateTime At, IReadOnlyList<OncallScheduleResponse> Schedules);
