namespace AlertRelay.Core.Postgres;

/// <summary>
/// A SQLite history could not be moved into PostgreSQL (no such file, a target that already holds a history, PostgreSQL unreachable or
/// refusing the data): one line for the operator, nothing written. <see cref="IsConnection"/> when the connection string or the server
/// is at fault, so that the caller can name the setting that gave it.
/// </summary>
public sealed class HistoryMigrationException(string message, bool isConnection = false, Exception? inner = null) : Exception(message, inner)
{
    public bool IsConnection { get; } = isConnection;
}
