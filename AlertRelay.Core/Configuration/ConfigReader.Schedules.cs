using AlertRelay.Core.Schedules;

namespace AlertRelay.Core.Configuration;

/// <summary>The <c>participants:</c> and <c>oncall_schedules:</c> sections (AlertRelay's own).</summary>
internal sealed partial class ConfigReader
{
    // SEAM (issue 14, part "schedules"): read and validate with file:line errors.
    private List<Participant> ReadParticipants(ConfigNode? node) => [];

    private List<OncallSchedule> ReadSchedules(ConfigNode? node, IReadOnlyList<Participant> participants, IReadOnlySet<string> receivers) => [];
}
