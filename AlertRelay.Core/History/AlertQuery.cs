using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.History;

/// <summary>
/// Filters for listing alert occurrences. <see cref="From"/>/<see cref="To"/> select occurrences active at
/// some point in the range (started before its end, not resolved before its start).
/// </summary>
public sealed record AlertQuery
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public AlertStatus? Status { get; init; }

    public string? Severity { get; init; }

    public string? Alertname { get; init; }

    public string? Receiver { get; init; }

    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }

    public IReadOnlyList<Matcher> Matchers { get; init; } = [];

    public int Limit { get; init; } = DefaultLimit;

    public AlertCursor? After { get; init; }
}
