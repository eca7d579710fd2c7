using Microsoft.Data.Sqlite;

namespace AlertRelay.Core.History;

/// <summary>
/// An online backup of the history file: <c>VACUUM INTO</c> writes a consistent, compacted copy from one read
/// snapshot, so it is safe while AlertRelay keeps writing (WAL readers never block the writer).
/// </summary>
public static class HistoryBackup
{
    /// <summary>Writes a copy of <paramref name="databasePath"/> to <paramref name="destination"/>, which must not exist yet; failures are <see cref="IOException"/>.</summary>
    public static void BackupTo(string databasePath, string destination)
    {
        if (!File.Exists(databasePath))
        {
            throw new FileNotFoundException($"no history database at {databasePath}", databasePath);
        }

        var target = Path.GetFullPath(destination);
        if (File.Exists(target))
        {
            throw new IOException($"{target} already exists; choose a new file name");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "VACUUM INTO @target";
            command.Parameters.AddWithValue("@target", target);
            command.ExecuteNonQuery();
        }
        catch (SqliteException ex)
        {
            // The caller (the CLI) need not know the engine: a failed backup is an I/O error with SQLite's reason.
            throw new IOException(ex.Message, ex);
        }
    }
}
