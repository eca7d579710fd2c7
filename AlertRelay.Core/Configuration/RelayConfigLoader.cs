namespace AlertRelay.Core.Configuration;

/// <summary>Loads and validates AlertRelay's YAML configuration file (Alertmanager's shape plus <c>escalations:</c>), reporting every error with its line.</summary>
public static class RelayConfigLoader
{
    /// <summary>The file looked for when <see cref="ConfigFileSetting"/> is not set: <c>alertrelay.yml</c> in the working directory.</summary>
    public const string DefaultFileName = "alertrelay.yml";

    /// <summary>The host setting naming the configuration file (environment variable <c>AlertRelay__ConfigFile</c>); when the file does not exist, <see cref="RelayConfig.Default"/> applies.</summary>
    public const string ConfigFileSetting = "AlertRelay:ConfigFile";

    /// <summary>Reads, parses and validates the file at <paramref name="path"/>; errors name the file as <paramref name="path"/> was given.</summary>
    /// <exception cref="ConfigException">The configuration is not valid; <see cref="ConfigException.Errors"/> lists every problem.</exception>
    /// <exception cref="IOException">The file cannot be read (<see cref="FileNotFoundException"/> when it does not exist).</exception>
    public static RelayConfig Load(string path, ConfigOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var yaml = File.ReadAllText(path);
        return Build(yaml, path, Path.GetFullPath(path), options);
    }

    /// <summary>Parses and validates YAML text; <paramref name="fileName"/> is only used in error messages. <see cref="RelayConfig.SourcePath"/> is null.</summary>
    /// <exception cref="ConfigException">The configuration is not valid; <see cref="ConfigException.Errors"/> lists every problem.</exception>
    public static RelayConfig LoadFromYaml(string yaml, string fileName, ConfigOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(fileName);
        return Build(yaml, fileName, sourcePath: null, options);
    }

    private static RelayConfig Build(string yaml, string fileName, string? sourcePath, ConfigOptions? options) =>
        ConfigReader.Read(yaml, fileName, sourcePath, options ?? ConfigOptions.Default, out var errors) ?? throw new ConfigException(errors);
}
