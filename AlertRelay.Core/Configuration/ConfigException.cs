namespace AlertRelay.Core.Configuration;

/// <summary>Thrown when a configuration file is not valid; <see cref="Errors"/> holds every problem found, in file order.</summary>
public sealed class ConfigException : Exception
{
    /// <summary>Creates the exception for a non-empty list of errors.</summary>
    public ConfigException(IReadOnlyList<ConfigError> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    /// <summary>Every problem found, sorted by line.</summary>
    public IReadOnlyList<ConfigError> Errors { get; }

    private static string Describe(IReadOnlyList<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0)
        {
            throw new ArgumentException("A configuration exception needs at least one error.", nameof(errors));
        }

        var header = errors.Count == 1 ? "Invalid configuration (1 error):" : $"Invalid configuration ({errors.Count} errors):";
        return header + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  " + e));
    }
}
