using AlertRelay.IntegrationTests.Reliability;

namespace AlertRelay.IntegrationTests.Replicas;

/// <summary>
/// One AlertRelay replica: the built AlertRelay.Api as a child process (<see cref="RelayProcess"/>) on the PostgreSQL history
/// (<c>AlertRelay__Database__Provider=postgres</c>, <c>AlertRelay__Database__ConnectionString</c>), so that several of them on
/// one database are one relay.
/// </summary>
public static class PostgresReplica
{
    /// <summary>
    /// Settings every replica of these tests gets. DigestThreshold: storm protection turns more than this many alerts of one
    /// webhook for one receiver into one digest; the tests want one message per alert, whatever a webhook carries.
    /// </summary>
    public static IReadOnlyDictionary<string, string> CommonSettings { get; } = new Dictionary<string, string>
    {
        ["AlertRelay__Notify__DigestThreshold"] = "1000",
        ["Logging__LogLevel__Default"] = "Warning",
        ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
    };

    /// <summary>
    /// Starts a replica on <paramref name="connectionString"/> and waits until its /readyz answers 200; <paramref name="port"/>
    /// (a free one when not given) lets a restarted replica keep the address the Alertmanagers post to.
    /// </summary>
    public static Task<ServerProcess> StartAsync(
        string connectionString, string configPath, string directory, IReadOnlyDictionary<string, string>? settings = null, int? port = null)
    {
        var environment = new Dictionary<string, string>(CommonSettings)
        {
            ["AlertRelay__Database__Provider"] = "postgres",
            ["AlertRelay__Database__ConnectionString"] = connectionString,
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        return RelayProcess.StartAsync(UnusedSqlitePath(directory), configPath, environment, port);
    }

    /// <summary>
    /// The SQLite path the replicas are given too (<see cref="RelayProcess"/> always sets one): unused with the postgres provider,
    /// so a file there means a replica wrote to SQLite instead.
    /// </summary>
    public static string UnusedSqlitePath(string directory) => Path.Combine(directory, "unused-sqlite.db");
}
