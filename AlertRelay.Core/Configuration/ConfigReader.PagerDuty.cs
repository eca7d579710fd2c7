namespace AlertRelay.Core.Configuration;

/// <summary>A receiver's <c>pagerduty_configs</c> entries. SEAM: the PagerDuty helper reads every field.</summary>
internal sealed partial class ConfigReader
{
    private PagerDutyConfig? ReadPagerDuty(ConfigMapping map, string path) => new();
}
