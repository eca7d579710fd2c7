using System.Diagnostics;
using AlertRelay.Core.Alerts;
using Microsoft.Extensions.Logging;

namespace AlertRelay.Core.Configuration;

/// <summary>
/// Holds the running configuration and reloads it (POST /-/reload, SIGHUP). An invalid new file is rejected
/// and the running configuration stays, as in Prometheus and Alertmanager; the outcome goes to the log
/// and to <c>alertrelay_config_last_reload_successful</c>.
/// </summary>
public sealed class RelayConfigProvider
{
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ConfigMetrics _metrics;
    private readonly Lock _reloadLock = new();
    private volatile RelayConfig _current;

    private RelayConfigProvider(
        RelayConfig initial, string? path, TimeProvider time, ILogger logger, ConfigMetrics? metrics, ConfigOptions? options = null)
    {
        _metrics = metrics ?? new ConfigMetrics(AlertRelayMeter.Unexported());
        _current = initial;
        Path = path;
        Options = options ?? ConfigOptions.Default;
        _time = time;
        _logger = logger;
        MarkSuccess(initial);
    }

    /// <summary>The configuration in force.</summary>
    public RelayConfig Current => _current;

    /// <summary>The file reloads read, or null when running on the built-in default.</summary>
    public string? Path { get; }

    /// <summary>How the file is read (<c>AlertRelay:Config</c>), at start-up and at each reload alike.</summary>
    public ConfigOptions Options { get; }

    /// <summary>
    /// Loads the configuration at start-up. A missing file is fine only when the path was not set explicitly
    /// (the built-in default routes everything to a receiver named "default"); an invalid file throws
    /// <see cref="ConfigException"/>, so the service refuses to start.
    /// </summary>
    public static RelayConfigProvider Load(
        string? configuredPath, TimeProvider time, ILogger logger, ConfigMetrics? metrics = null, ConfigOptions? options = null)
    {
        var path = string.IsNullOrWhiteSpace(configuredPath) ? RelayConfigLoader.DefaultFileName : configuredPath;
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            if (!string.IsNullOrWhiteSpace(configuredPath))
            {
                throw new ConfigException([new ConfigError(path, 0, "", "configuration file not found (AlertRelay:ConfigFile)")]);
            }

            logger.LogInformation("No configuration file at {path}: every alert routes to receiver \"default\"; no inhibition, no escalation", full);
            return new RelayConfigProvider(RelayConfig.Default, full, time, logger, metrics, options);
        }

        var config = RelayConfigLoader.Load(full, options);
        logger.LogInformation(
            "Loaded configuration {path}: {receivers} receivers, {rules} inhibit rules, {escalations} escalation policies, {warnings} warnings",
            full, config.Receivers.Count, config.InhibitRules.Count, config.Escalations.Count, config.Warnings.Count);
        LogWarnings(logger, config);
        return new RelayConfigProvider(config, full, time, logger, metrics, options);
    }

    /// <summary>Creates a provider around an already loaded configuration (tests, tools).</summary>
    public static RelayConfigProvider Fixed(
        RelayConfig config, TimeProvider time, ILogger logger, ConfigMetrics? metrics = null, ConfigOptions? options = null) =>
        new(config, config.SourcePath, time, logger, metrics, options);

    /// <summary>Reads the file again; on any error keeps the running configuration and returns the errors.</summary>
    public IReadOnlyList<ConfigError> Reload()
    {
        lock (_reloadLock)
        {
            if (Path is null || !File.Exists(Path))
            {
                var missing = new ConfigError(Path ?? RelayConfigLoader.DefaultFileName, 0, "", "configuration file not found");
                Fail([missing]);
                return [missing];
            }

            try
            {
                var config = RelayConfigLoader.Load(Path, Options);
                _current = config;
                MarkSuccess(config);
                _metrics.Reloads.Add(1, new TagList { { "outcome", "success" } });
                _logger.LogInformation(
                    "Reloaded configuration {path}: {receivers} receivers, {rules} inhibit rules, {escalations} escalation policies, {warnings} warnings",
                    Path, config.Receivers.Count, config.InhibitRules.Count, config.Escalations.Count, config.Warnings.Count);
                LogWarnings(_logger, config);
                return [];
            }
            catch (ConfigException ex)
            {
                Fail(ex.Errors);
                return ex.Errors;
            }
        }
    }

    private void Fail(IReadOnlyList<ConfigError> errors)
    {
        _metrics.LastReloadSuccessful.Set(0);
        _metrics.Reloads.Add(1, new TagList { { "outcome", "failure" } });
        _logger.LogError("Configuration reload failed; keeping the running configuration. {errors}", string.Join("; ", errors));
    }

    /// <summary>One Warning-level entry per configuration warning, with its file:line (never a secret: warnings name fields, not values).</summary>
    private static void LogWarnings(ILogger logger, RelayConfig config)
    {
        foreach (var warning in config.Warnings)
        {
            logger.LogWarning("Configuration {file}:{line}: {path}: {warning}", warning.File, warning.Line, warning.Path, warning.Message);
        }
    }

    private void MarkSuccess(RelayConfig config)
    {
        _metrics.InForce(config);
        _metrics.LastReloadSuccessful.Set(1);
        _metrics.LastReloadSuccessTimestamp.Set(_time.GetUtcNow().ToUnixTimeSeconds());
    }
}
