using AlertRelay.Api.Contracts;
using AlertRelay.Api.Security;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Heartbeats;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AlertRelay.Api.Endpoints;

/// <summary>The configured heartbeats under <c>/api/heartbeats</c> and how each stands (read token).</summary>
public static class HeartbeatEndpoints
{
    public static IEndpointRouteBuilder MapHeartbeatEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/heartbeats").WithTags("Heartbeats").RequireReadToken();

        group.MapGet("/", List)
            .WithName("ListHeartbeats")
            .WithSummary("Every configured heartbeat: last seen, status (ok, missing, waiting) and since when it is missing")
            .WithDescription("As of the latest heartbeat pass (every AlertRelay:Heartbeats:CheckIntervalSeconds).")
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        return routes;
    }

    private static Ok<IReadOnlyList<HeartbeatResponse>> List(RelayConfigProvider config, HeartbeatBoard board)
    {
        var reports = board.Reports;
        var heartbeats = config.Current.Heartbeats
            .Select(h => reports.FirstOrDefault(r => r.Heartbeat.Name == h.Name) is { } report
                ? AsResponse(h, report.State, report.Decision, board.CheckedAtMs)
                : new HeartbeatResponse(h.Name, PrometheusDuration.Format(h.Timeout), h.Receiver, null, "waiting", null, null, "not checked yet", null))
            .ToList();
        return TypedResults.Ok<IReadOnlyList<HeartbeatResponse>>(heartbeats);
    }

    private static HeartbeatResponse AsResponse(Heartbeat heartbeat, HeartbeatState state, HeartbeatDecision decision, long? checkedAtMs) => new(
        heartbeat.Name,
        PrometheusDuration.Format(heartbeat.Timeout),
        heartbeat.Receiver,
        Time(state.LastSeenMs),
        decision.Status.ToString().ToLowerInvariant(),
        decision.Status == HeartbeatStatus.Missing ? Time(state.MissingStartsAtMs) : null,
        Time(decision.DueAtMs),
        decision.Reason,
        Time(checkedAtMs));

    private static DateTimeOffset? Time(long? ms) => ms is { } value ? UnixMillis.ToDateTimeOffset(value) : null;
}
