namespace AlertRelay.Core.Configuration;

/// <summary>One problem in a configuration file: where it is (file, 1-based line, YAML path such as <c>route.routes[0].receiver</c>) and what is wrong.</summary>
public sealed record ConfigError(string File, int Line, string Path, string Message)
{
    /// <summary>The error as one line, e.g. <c>alertrelay.yml:12: route.routes[0].receiver: undefined receiver "ops"</c>.</summary>
    public override string ToString() =>
        Path.Length == 0 ? $"{File}:{Line}: {Message}" : $"{File}:{Line}: {Path}: {Message}";
}
