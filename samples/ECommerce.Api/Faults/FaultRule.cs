using System.Text.Json.Serialization;

namespace ECommerce.Api.Faults;

/// <summary>What to do to a route's requests: add latency, and fail a share of them with a 5xx status.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record FaultRule
{
    public const int MaxLatencyMs = 60_000;

    /// <summary>Delay added before the request is handled, in milliseconds.</summary>
    public int LatencyMs { get; init; }

    /// <summary>Share of requests answered with <see cref="StatusCode"/> (0..1), spread evenly: 0.25 fails every 4th request.</summary>
    public double ErrorRate { get; init; }

    /// <summary>The status of an injected error: 500..599 (500 unless told).</summary>
    public int StatusCode { get; init; } = StatusCodes.Status500InternalServerError;

    /// <summary>Whether the rule changes nothing.</summary>
    [JsonIgnore]
    public bool IsNoop => LatencyMs == 0 && ErrorRate == 0;

    /// <summary>Problems with this rule, keyed by field name under <paramref name="prefix"/>.</summary>
    public IEnumerable<KeyValuePair<string, string>> Validate(string prefix)
    {
        if (LatencyMs is < 0 or > MaxLatencyMs)
        {
            yield return new($"{prefix}.latencyMs", $"{LatencyMs} is outside 0..{MaxLatencyMs}");
        }

        if (double.IsNaN(ErrorRate) || ErrorRate is < 0 or > 1)
        {
            yield return new($"{prefix}.errorRate", $"{ErrorRate} is outside 0..1");
        }

        if (StatusCode is < 500 or > 599)
        {
            yield return new($"{prefix}.statusCode", $"{StatusCode} is not a 5xx status");
        }
    }
}
