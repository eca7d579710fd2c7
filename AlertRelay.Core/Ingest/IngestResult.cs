namespace AlertRelay.Core.Ingest;

/// <summary>What one committed webhook changed: alerts in it, new occurrences, other changes, and duplicates dropped.</summary>
public sealed record IngestResult(int Alerts, int Created, int Changed, int Duplicates);
