using AlertRelay.Tests.TestData;

namespace AlertRelay.Tests.Reliability;

/// <summary>The built AlertRelay.Api as a real child process on 127.0.0.1 and a free port, on a given database and configuration file.</summary>
public static class RelayProcess
{
    /// <summary>Starts the relay and waits until /readyz answers 200; <paramref name="settings"/> are environment variables added or overriding the defaults.</summary>
    public static Task<ServerProcess> StartAsync(string databasePath, string configPath, IReadOnlyDictionary<string, string>? settings = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["AlertRelay__ConfigFile"] = configPath,
            ["AlertRelay__Database__Path"] = databasePath,
            ["AlertRelay__Notify__InitialBackoffSeconds"] = "0.2",
            ["AlertRelay__Notify__MaxBackoffSeconds"] = "1",
            ["AlertRelay__Notify__LeaseSeconds"] = "5",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        return ServerProcess.StartDotnetAsync(Path.Combine(AppContext.BaseDirectory, "AlertRelay.Api.dll"), FreePort.Get(), "/readyz", environment);
    }
}
