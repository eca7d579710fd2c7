using AlertRelay.Core.Alerts;

namespace AlertRelay.Api.Cli;

/// <summary><c>oncall who</c>: who is on call for a schedule at an instant, from the configuration file alone (no server, no database).</summary>
public static partial class CliCommands
{
    private const string OncallWhoUsage = "oncall who [--config FILE] --schedule NAME [--at TIME]";

    /// <summary>
    /// <c>oncall who [--config FILE] --schedule NAME [--at TIME]</c>: prints the participant's name alone on its line (exit 0). An invalid
    /// configuration prints its errors with file:line, an unknown schedule says so (exit 1). <paramref name="time"/> gives "now" when
    /// <c>--at</c> is absent.
    /// </summary>
    internal static int OncallWho(string[] args, TextWriter output, TextWriter error, TimeProvider time)
    {
        string? configFile = null, schedule = null, at = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (TryOption(args, ref i, out var value, "--config", "--config.file", "--schedule", "--at") is not { } option)
            {
                return PrintUsage(error, $"oncall who: unexpected '{args[i]}' (usage: {OncallWhoUsage})", UsageError);
            }

            if (value is null)
            {
                return PrintUsage(error, $"{option} needs a value (usage: {OncallWhoUsage})", UsageError);
            }

            switch (option)
            {
                case "--schedule":
                    schedule = value;
                    break;
                case "--at":
                    at = value;
                    break;
                default:
                    configFile = value;
                    break;
            }
        }

        if (schedule is null)
        {
            return PrintUsage(error, $"oncall who needs --schedule NAME (usage: {OncallWhoUsage})", UsageError);
        }

        var instant = time.GetUtcNow();
        if (at is not null && (!Rfc3339.TryParse(at, out instant) || instant.Year is < 1900 or >= 9000))
        {
            return PrintUsage(error, $"--at: \"{at}\" is not an RFC 3339 timestamp such as 2026-03-29T01:30:00Z (years 1900 to 8999)", UsageError);
        }

        configFile ??= ServerPath(Core.Configuration.RelayConfigLoader.ConfigFileSetting, Core.Configuration.RelayConfigLoader.DefaultFileName);
        if (!TryLoad(configFile, error, out var config))
        {
            return Failed;
        }

        if (config.FindSchedule(schedule) is not { } found)
        {
            var known = config.Schedules.Count == 0 ? "it has none" : "it has " + string.Join(", ", config.Schedules.Select(s => s.Name));
            error.WriteLine($"unknown schedule \"{schedule}\" in {configFile} ({known})");
            return Failed;
        }

        output.WriteLine(found.ShiftAt(instant).Participant);
        return 0;
    }
}
