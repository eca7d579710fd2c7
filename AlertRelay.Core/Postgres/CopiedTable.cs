namespace AlertRelay.Core.Postgres;

/// <summary>One table copied by <see cref="SqliteToPostgres"/>: its name and how many rows it holds in PostgreSQL now.</summary>
public sealed record CopiedTable(string Table, long Rows);
