using System.Text.Json;
using System.Text.Json.Serialization;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.History;

namespace AlertRelay.Api.Contracts;

/// <summary>An alert occurrence as the API shows it. Times are RFC 3339 in UTC (Z); <c>endsAt</c> is null while firing.</summary>
public sealed record AlertResponse(
    long Id,
    string Fingerprint,
    string Status,
    string Alertname,
    string Severity,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    DateTime StartsAt,
    DateTime? EndsAt,
    [property: JsonPropertyName("generatorURL")] string GeneratorUrl,
    string Receiver,
    string GroupKey,
    DateTime ReceivedAt,
    DateTime UpdatedAt,
    IReadOnlyList<string> Receivers,
    long? InhibitedBy,
    AckResponse? Ack,
    SilenceResponse? Silence = null);

/// <summary>An acknowledgement as the API shows it.</summary>
public sealed record AckResponse(string By, string? Comment, DateTime At, DateTime? ExpiresAt);

/// <summary>The body of <c>POST /api/alerts/{id}/ack</c>: who acknowledges, why, and optionally until when.</summary>
public sealed record AckRequest(string? By, string? Comment, DateTimeOffset? ExpiresAt);

/// <summary>One page of <c>GET /api/alerts</c>; pass <c>nextCursor</c> as <c>cursor</c> for the next page (null on the last).</summary>
public sealed record AlertListResponse(IReadOnlyList<AlertResponse> Items, string? NextCursor);

/// <summary>An occurrence with its timeline.</summary>
public sealed record AlertDetailResponse(AlertResponse Alert, IReadOnlyList<AlertEventResponse> Events);

/// <summary>One timeline event; <c>detail</c> is a kind-specific object.</summary>
public sealed record AlertEventResponse(long Id, string Kind, DateTime At, JsonElement? Detail);

/// <summary>Counts over a time range and the mean time from startsAt to endsAt of the resolved ones.</summary>
public sealed record AlertStatsResponse(
    DateTime? From,
    DateTime? To,
    int Total,
    IReadOnlyDictionary<string, int> ByStatus,
    IReadOnlyDictionary<string, int> BySeverity,
    int Resolved,
    double? MeanTimeToResolveSeconds);

/// <summary>Hand-written mappings from Core's records to the API's contracts.</summary>
public static class AlertContractMapping
{
    public static AlertResponse AsResponse(this OccurrenceRecord alert) => new(
        alert.Id,
        alert.Fingerprint.ToString(),
        alert.Status.ToText(),
        alert.Alertname,
        alert.Severity,
        alert.Labels.ToDictionary(),
        alert.Annotations.ToDictionary(),
        alert.StartsAt.UtcDateTime,
        alert.EndsAt?.UtcDateTime,
        alert.GeneratorUrl,
        alert.Receiver,
        alert.GroupKey,
        alert.ReceivedAt.UtcDateTime,
        alert.UpdatedAt.UtcDateTime,
        alert.Receivers,
        alert.InhibitedBy,
        alert.Ack is { } ack ? new AckResponse(ack.By, ack.Comment, ack.At.UtcDateTime, ack.ExpiresAt?.UtcDateTime) : null,
        alert.Silence is { } silence ? new SilenceResponse(silence.Id, silence.By, silence.EndsAt.UtcDateTime) : null);

    public static AlertEventResponse AsResponse(this AlertEvent e)
    {
        JsonElement? detail = null;
        if (e.DetailJson is { } json)
        {
            using var document = JsonDocument.Parse(json);
            detail = document.RootElement.Clone();
        }

        return new AlertEventResponse(e.Id, e.Kind, e.At.UtcDateTime, detail);
    }
}
