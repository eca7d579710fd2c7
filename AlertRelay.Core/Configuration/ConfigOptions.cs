namespace AlertRelay.Core.Configuration;

/// <summary>How a configuration file is read (section <c>AlertRelay:Config</c>): the same for start-up, reload and <c>config check</c>.</summary>
public sealed record ConfigOptions
{
    /// <summary>The configuration section these options are bound to.</summary>
    public const string SectionName = "AlertRelay:Config";

    /// <summary>The defaults: every unsupported receiver block is an error.</summary>
    public static ConfigOptions Default { get; } = new();

    /// <summary>
    /// <c>AlertRelay:Config:IgnoreUnsupportedReceivers</c>: when true, a receiver block of a kind AlertRelay cannot deliver
    /// (<c>opsgenie_configs</c>, ...) is skipped with one <see cref="ConfigWarning"/> per block instead of refusing the file.
    /// </summary>
    public bool IgnoreUnsupportedReceivers { get; init; }
}
