using AlertRelay.Core.Heartbeats;
using AlertRelay.Core.Routing;

namespace AlertRelay.Core.Configuration;

/// <summary>The <c>heartbeats:</c> section (AlertRelay's own).</summary>
internal sealed partial class ConfigReader
{
    // SEAM (issue 14, part "heartbeats"): read and validate with file:line errors.
    private List<Heartbeat> ReadHeartbeats(ConfigNode? node, IReadOnlySet<string> receivers) => [];

    // SEAM: the routes that send each heartbeat's HeartbeatMissing occurrence to its receiver, ahead of the configured tree.
    private static Route HeartbeatRoutes(Route route, IReadOnlyList<Heartbeat> heartbeats) => route;
}
