namespace AlertRelay.Core.Configuration;

/// <summary>A receiver's <c>msteamsv2_configs</c> entries. SEAM: the Teams helper reads every field.</summary>
internal sealed partial class ConfigReader
{
    private MsTeamsV2Config? ReadMsTeamsV2(ConfigMapping map, string path) => new();
}
