namespace AlertRelay.Core.History;

/// <summary>The history queries behind the REST API: occurrences by filter and cursor, one with its timeline, statistics.</summary>
public interface IAlertQueries
{
    Task<AlertPage> ListAsync(AlertQuery query, CancellationToken cancellationToken);

    Task<(OccurrenceRecord Alert, IReadOnlyList<AlertEvent> Events)?> GetAsync(long id, CancellationToken cancellationToken);

    Task<AlertStats> StatsAsync(AlertQuery query, CancellationToken cancellationToken);
}
