using System.Diagnostics;
using System.Reflection;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.History;
using AlertRelay.Core.Postgres;
using AlertRelay.Core.Routing;
using Microsoft.Extensions.Logging.Abstractions;
// System.IO and ASP.NET Core (implicit usings) also have a MatchType and a Route; the aliases pick ours.
using MatchType = AlertRelay.Core.Alerts.MatchType;
using Route = AlertRelay.Core.Routing.Route;

namespace AlertRelay.Api.Cli;

/// <summary>
/// The command line: the tools, modelled on amtool (<c>config check FILE...</c> like <c>amtool check-config</c>,
/// <c>routes test [--config FILE] [--verify.receivers=a,b] label=value...</c> like <c>amtool config routes test</c>),
/// <c>history backup [--db PATH] --to FILE</c>, <c>history migrate --to postgres ...</c>, <c>--help</c> and <c>--version</c>. No arguments, or settings alone
/// (<c>--urls URL</c>, <c>--AlertRelay:Database:Path=FILE</c>), are left to the web host; anything else is a usage error.
/// </summary>
public static partial class CliCommands
{
    /// <summary>Exit code for a check that failed (invalid configuration, receivers not as expected), as amtool.</summary>
    public const int Failed = 1;

    /// <summary>Exit code for a command line that could not be understood.</summary>
    public const int UsageError = 2;

    /// <summary>The assembly's informational version (the package version, and the commit when built from a Git checkout).</summary>
    public static string Version { get; } =
        typeof(CliCommands).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(CliCommands).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    private const string Commands = """
        Usage:
          dotnet AlertRelay.Api.dll [SETTING...]    start the server
          dotnet AlertRelay.Api.dll COMMAND...      run a command and exit
          dotnet AlertRelay.Api.dll --help | --version

        Commands:
          config check FILE...
              Validate AlertRelay configuration files (like amtool check-config); warnings (fields accepted but not
              honoured) follow SUCCESS and do not fail the check. Read as the server reads them
              (AlertRelay:Config:IgnoreUnsupportedReceivers from appsettings.json or the environment).
          routes test [--config FILE] [--verify.receivers=RECEIVERS] LABEL=VALUE...
              Print the receivers an alert with these labels routes to, comma-separated, in tree order
              (like amtool config routes test). --config defaults to the server's configuration file
              (AlertRelay:ConfigFile, else alertrelay.yml in the content root); with --verify.receivers,
              exit 1 when the receivers differ.
          history backup [--db PATH] --to FILE
              Online backup of the history database (SQLite VACUUM INTO), safe while AlertRelay runs.
              --db defaults to the server's database (AlertRelay:Database:Path, else data/alertrelay.db,
              in the content root).
          history migrate --to postgres [--db PATH] (--connection STRING | --connection-file FILE)
              Copy the SQLite history (--db, default as for history backup) into an empty PostgreSQL database:
              its schema is created, every table is copied with its ids in one transaction (all or nothing),
              and the id sequences continue after them. The file is only read, so AlertRelay may keep running,
              but what it writes meanwhile is not copied: stop it for the final move. --connection-file holds
              the connection string (a mounted secret).
          oncall who [--config FILE] --schedule NAME [--at TIME]
              Print who is on call for the schedule at TIME (RFC 3339, default now): the participant's name alone
              on its line. --config defaults as for routes test. Exit 1 when the configuration is invalid or has
              no such schedule.
        """;

    private const string Settings = """
        Settings (--key value, --key=value or /key value; also in appsettings.json in the content root, or
        environment variables with ':' written '__'):
          --urls URLS                          listen address (default http://localhost:5001; ASPNETCORE_URLS)
          --contentRoot DIR                    where appsettings.json is read and relative paths resolve
                                               (default: the directory of AlertRelay.Api.dll; ASPNETCORE_CONTENTROOT)
          --environment NAME                   Production (default), Development, ...
          --AlertRelay:ConfigFile FILE         routing, inhibition, escalation (default alertrelay.yml, optional)
          --AlertRelay:Database:Path FILE      the SQLite history (default data/alertrelay.db)
          --AlertRelay:Auth:WebhookTokenFile FILE, --AlertRelay:Auth:ReadTokenFile FILE
                                               bearer tokens of POST /webhook and of /api/* (default: none, open)
        File names given to a command are relative to the working directory; relative paths in settings
        are relative to the content root. Every setting: README.md and docs/operations.md.
        """;

    /// <summary>Runs a CLI command writing to the console; <see langword="false"/> when <paramref name="args"/> is not one (start the web host).</summary>
    public static bool TryRun(string[] args, out int exitCode) => TryRun(args, Console.Out, Console.Error, out exitCode);

    /// <summary>Runs a CLI command; <see langword="false"/> when <paramref name="args"/> is not one. Results (and config check's findings) go to <paramref name="output"/>; usage problems and a routes test's unloadable config go to <paramref name="error"/>.</summary>
    public static bool TryRun(string[] args, TextWriter output, TextWriter error, out int exitCode)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);

        if (args.Length == 0)
        {
            exitCode = 0;
            return false;
        }

        if (args[0] is not ("config" or "routes" or "history" or "oncall"))
        {
            if (args[0] == "help" || args.Any(arg => arg is "--help" or "-h"))
            {
                exitCode = PrintHelp(output);
                return true;
            }

            if (args.Contains("--version"))
            {
                exitCode = PrintVersion(output);
                return true;
            }

            var index = HostCommandLine.IndexOfNonSetting(args);
            if (index < 0)
            {
                exitCode = 0;
                return false; // settings alone: the web host
            }

            exitCode = PrintUsage(error, NotASetting(args[index], index), UsageError);
            return true;
        }

        var rest = args.Skip(2).ToArray();
        exitCode = (args[0], args.ElementAtOrDefault(1)) switch
        {
            ("config", "check") => CheckConfig(rest, output, error),
            ("routes", "test") => TestRoutes(rest, output, error),
            ("history", "backup") => BackupHistory(rest, output, error),
            ("history", "migrate") => MigrateHistory(rest, output, error),
            ("oncall", "who") => OncallWho(rest, output, error, TimeProvider.System),
            (_, "--help" or "-h" or "help") => PrintUsage(output, null, 0),
            (var command, null) => PrintUsage(error, $"'{command}' needs a subcommand", UsageError),
            (var command, var sub) => PrintUsage(error, $"unknown command '{command} {sub}'", UsageError),
        };
        return true;
    }

    /// <summary>
    /// <c>history backup [--db PATH] --to FILE</c>: an online backup (VACUUM INTO), safe while AlertRelay runs.
    /// The database defaults to the server's (<see cref="ServerPath"/>).
    /// </summary>
    private static int BackupHistory(string[] options, TextWriter output, TextWriter error)
    {
        string? database = null, destination = null;
        for (var i = 0; i < options.Length; i++)
        {
            switch (options[i])
            {
                case "--db" when i + 1 < options.Length:
                    database = options[++i];
                    break;
                case "--to" when i + 1 < options.Length:
                    destination = options[++i];
                    break;
                default:
                    return PrintUsage(error, $"history backup: unexpected '{options[i]}' (usage: history backup [--db PATH] --to FILE)", UsageError);
            }
        }

        if (destination is null)
        {
            return PrintUsage(error, "history backup needs --to FILE", UsageError);
        }

        database ??= ServerPath(AlertRelay.Core.History.DatabaseOptions.SectionName + ":Path", new AlertRelay.Core.History.DatabaseOptions().Path);
        try
        {
            AlertRelay.Core.History.HistoryBackup.BackupTo(database, destination);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"history backup failed: {ex.Message}");
            return Failed;
        }

        output.WriteLine($"Backed up {Path.GetFullPath(database)} to {Path.GetFullPath(destination)}");
        return 0;
    }

    private const string MigrateUsage = "history migrate --to postgres [--db PATH] (--connection STRING | --connection-file FILE)";

    /// <summary>
    /// <c>history migrate --to postgres [--db PATH] (--connection STRING | --connection-file FILE)</c>: copies the SQLite history
    /// (default: the server's, <see cref="ServerPath"/>) into an empty PostgreSQL database (<see cref="SqliteToPostgres"/>).
    /// </summary>
    private static int MigrateHistory(string[] options, TextWriter output, TextWriter error)
    {
        string? engine = null, database = null, connection = null, connectionFile = null;
        for (var i = 0; i < options.Length; i++)
        {
            var option = TryOption(options, ref i, out var value, "--to", "--db", "--connection", "--connection-file");
            if (option is null)
            {
                return PrintUsage(error, $"history migrate: unexpected '{options[i]}' (usage: {MigrateUsage})", UsageError);
            }

            if (value is null)
            {
                return PrintUsage(error, $"history migrate: {option} needs a value (usage: {MigrateUsage})", UsageError);
            }

            switch (option)
            {
                case "--to":
                    engine = value;
                    break;
                case "--db":
                    database = value;
                    break;
                case "--connection":
                    connection = value;
                    break;
                default:
                    connectionFile = value;
                    break;
            }
        }

        if (engine is null)
        {
            return PrintUsage(error, $"history migrate needs --to postgres (usage: {MigrateUsage})", UsageError);
        }

        if (!string.Equals(engine, DatabaseOptions.Postgres, StringComparison.OrdinalIgnoreCase))
        {
            return PrintUsage(error, $"history migrate: --to must be postgres, not '{engine}'", UsageError);
        }

        if ((connection is null) == (connectionFile is null))
        {
            return PrintUsage(error, $"history migrate needs one of --connection STRING or --connection-file FILE (usage: {MigrateUsage})", UsageError);
        }

        var connectionOption = connection is null ? "--connection-file" : "--connection";
        if (connectionFile is not null)
        {
            try
            {
                connection = File.ReadAllText(connectionFile).Trim();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"history migrate failed: --connection-file: {(ex is FileNotFoundException or DirectoryNotFoundException ? NoSuchFile(connectionFile) : ex.Message)}");
                return Failed;
            }

            if (connection.Length == 0)
            {
                error.WriteLine($"history migrate failed: --connection-file: {connectionFile} is empty");
                return Failed;
            }
        }

        database ??= ServerPath(DatabaseOptions.SectionName + ":Path", new DatabaseOptions().Path);
        var started = Stopwatch.GetTimestamp();
        MigratedHistory migrated;
        try
        {
            migrated = SqliteToPostgres.Copy(database, connection!, NullLogger<PostgresDatabase>.Instance);
        }
        catch (HistoryMigrationException ex)
        {
            // The connection string is the operator's: name the option it came from (never its value: it may hold a password).
            error.WriteLine(ex.IsConnection ? $"history migrate failed: {connectionOption}: {ex.Message}" : $"history migrate failed: {ex.Message}");
            return Failed;
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        output.WriteLine($"Migrated {migrated.Source} to {migrated.Target} in {elapsed.TotalSeconds:0.0} s:");
        var width = migrated.Tables.Max(t => t.Table.Length);
        foreach (var table in migrated.Tables)
        {
            output.WriteLine($"  {table.Table.PadRight(width)}  {table.Rows,10}");
        }

        return 0;
    }

    private static int CheckConfig(string[] files, TextWriter output, TextWriter error)
    {
        if (files.Length == 0 || files.Any(f => f.StartsWith('-')))
        {
            return PrintUsage(error, "config check needs one or more files (and no options)", UsageError);
        }

        var exitCode = 0;
        foreach (var file in files)
        {
            if (!TryLoad(file, output, out var config))
            {
                exitCode = Failed;
                output.WriteLine();
                continue;
            }

            output.WriteLine($"Checking '{file}'  SUCCESS");
            output.WriteLine("Found:");
            if (config.Global.Count > 0)
            {
                output.WriteLine(" - global config");
            }

            // The heartbeats' own routes (HeartbeatMissing to their receivers) are not the file's: counted with the heartbeats.
            output.WriteLine($" - route tree with {CountRoutes(config.Route) - config.Heartbeats.Count} routes");
            output.WriteLine($" - {config.Receivers.Count} receivers");
            output.WriteLine($" - {config.InhibitRules.Count} inhibit rules");
            output.WriteLine($" - {config.Escalations.Count} escalations");
            if (config.Schedules.Count > 0)
            {
                output.WriteLine($" - {config.Schedules.Count} on-call schedules ({string.Join(", ", config.Schedules.Select(s => s.Name))}), {config.Participants.Count} participants");
            }

            if (config.Heartbeats.Count > 0)
            {
                output.WriteLine($" - {config.Heartbeats.Count} heartbeats ({string.Join(", ", config.Heartbeats.Select(h => $"{h.Name}: {PrometheusDuration.Format(h.Timeout)} to {h.Receiver}"))})");
            }

            // Accepted but not honoured: still a success (exit 0), never silent.
            if (config.Warnings.Count > 0)
            {
                output.WriteLine($"{config.Warnings.Count} {(config.Warnings.Count == 1 ? "warning" : "warnings")}:");
                foreach (var warning in config.Warnings)
                {
                    output.WriteLine($"  {warning}");
                }
            }

            output.WriteLine();
        }

        return exitCode;
    }

    private static int TestRoutes(string[] args, TextWriter output, TextWriter error)
    {
        string? configFile = null;
        string? expectedReceivers = null;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (TryOption(args, ref i, out var value, "--config", "--config.file") is { } configOption)
            {
                if (value is null)
                {
                    return PrintUsage(error, $"{configOption} needs a file", UsageError);
                }

                configFile = value;
            }
            else if (TryOption(args, ref i, out value, "--verify.receivers") is { } verifyOption)
            {
                if (value is null)
                {
                    return PrintUsage(error, $"{verifyOption} needs a comma-separated list of receivers", UsageError);
                }

                expectedReceivers = value;
            }
            else if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                return PrintUsage(error, $"unknown option '{arg}'", UsageError);
            }
            else
            {
                // amtool parses each label as a matcher and accepts only '=' (a later duplicate wins).
                if (!MatcherParser.TryParseMatcher(arg, out var matcher, out var parseError))
                {
                    error.WriteLine($"Failed to parse labels: {parseError}");
                    return UsageError;
                }

                if (matcher.Type != MatchType.Equal)
                {
                    error.WriteLine("Labels must be specified as key=value pairs");
                    return UsageError;
                }

                labels[matcher.Name] = matcher.Value;
            }
        }

        configFile ??= ServerPath(RelayConfigLoader.ConfigFileSetting, RelayConfigLoader.DefaultFileName);
        if (!TryLoad(configFile, error, out var config))
        {
            return Failed;
        }

        var receivers = string.Join(",", RoutingStage.Receivers(config.Route, LabelSet.From(labels)));
        output.WriteLine(receivers);
        if (expectedReceivers is not null && expectedReceivers != receivers)
        {
            output.WriteLine("WARNING: Expected receivers did not match resolved receivers.");
            return Failed;
        }

        return 0;
    }

    /// <summary>Matches <c>--name value</c> or <c>--name=value</c>; returns the option name used, or null when the argument is not one of <paramref name="names"/>.</summary>
    private static string? TryOption(string[] args, ref int index, out string? value, params string[] names)
    {
        var arg = args[index];
        foreach (var name in names)
        {
            if (arg == name)
            {
                value = index + 1 < args.Length ? args[++index] : null;
                return name;
            }

            if (arg.StartsWith(name + "=", StringComparison.Ordinal))
            {
                value = arg[(name.Length + 1)..];
                return name;
            }
        }

        value = null;
        return null;
    }

    private static bool TryLoad(string file, TextWriter output, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RelayConfig? config)
    {
        try
        {
            config = RelayConfigLoader.Load(file, ServerConfigOptions());
            return true;
        }
        catch (ConfigException ex)
        {
            output.WriteLine($"Checking '{file}'  FAILED: {ex.Errors.Count} {(ex.Errors.Count == 1 ? "error" : "errors")}");
            foreach (var configError in ex.Errors)
            {
                output.WriteLine($"  {configError}");
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            output.WriteLine($"Checking '{file}'  FAILED: {(ex is FileNotFoundException or DirectoryNotFoundException ? NoSuchFile(file) : ex.Message)}");
        }

        config = null;
        return false;
    }

    // `dotnet run --project AlertRelay.Api` runs in AlertRelay.Api/, which makes a relative path surprising.
    private static string NoSuchFile(string file) =>
        Path.IsPathRooted(file) ? "no such file" : $"no such file (relative to {Environment.CurrentDirectory}; give an absolute path)";

    private static int CountRoutes(Route route) => 1 + route.Routes.Sum(CountRoutes);

    /// <summary>
    /// The file the server would use for the path setting <paramref name="key"/>: its value in the server's configuration
    /// (appsettings.json in the content root, environment variables), else <paramref name="fallback"/>, relative to the
    /// server's content root, so that a command's default and the server agree wherever the command is run from.
    /// </summary>
    private static string ServerPath(string key, string fallback)
    {
        var builder = HostCommandLine.CreateBuilder([]);
        using var configuration = builder.Configuration; // stops watching appsettings.json
        var value = configuration[key];
        return Path.GetFullPath(string.IsNullOrWhiteSpace(value) ? fallback : value, builder.Environment.ContentRootPath);
    }

    /// <summary>
    /// How the server reads its configuration file (<c>AlertRelay:Config</c> from appsettings.json in the content root and the
    /// environment, as <see cref="ServerPath"/>), so that a command accepts and refuses exactly what the server would.
    /// </summary>
    private static ConfigOptions ServerConfigOptions()
    {
        var builder = HostCommandLine.CreateBuilder([]);
        using var configuration = builder.Configuration; // stops watching appsettings.json
        return configuration.GetSection(ConfigOptions.SectionName).Get<ConfigOptions>() ?? ConfigOptions.Default;
    }

    private static string NotASetting(string arg, int index)
    {
        if (!arg.StartsWith('-') && !arg.StartsWith('/'))
        {
            return index == 0 ? $"unknown command '{arg}'" : $"'{arg}' is neither a command nor a setting";
        }

        var key = arg.StartsWith("--", StringComparison.Ordinal) ? arg[2..] : arg.StartsWith('/') ? arg[1..] : null;
        return key switch
        {
            null => $"unknown option '{arg}'",
            "" or ['=', ..] => $"'{arg}' is not a setting (--key value, --key=value or /key value)",
            _ => $"'{arg}' needs a value",
        };
    }

    private static int PrintHelp(TextWriter output)
    {
        output.WriteLine(Commands);
        output.WriteLine();
        output.WriteLine(Settings);
        return 0;
    }

    private static int PrintVersion(TextWriter output)
    {
        output.WriteLine($"AlertRelay {Version}");
        return 0;
    }

    private static int PrintUsage(TextWriter writer, string? problem, int exitCode)
    {
        if (problem is not null)
        {
            writer.WriteLine($"error: {problem}");
        }

        writer.WriteLine(Commands);
        return exitCode;
    }
}
