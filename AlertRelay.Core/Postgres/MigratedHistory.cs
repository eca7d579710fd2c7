namespace AlertRelay.Core.Postgres;

/// <summary>What <see cref="SqliteToPostgres"/> copied: from which file, into which database (without its password), the rows of each table.</summary>
public sealed record MigratedHistory(string Source, string Target, IReadOnlyList<CopiedTable> Tables);
