using AlertRelay.Core.Schedules;

namespace AlertRelay.Core.Configuration;

/// <summary>The receivers made for the schedules' participants: how <c>oncall:&lt;schedule&gt;</c> reaches the person on call.</summary>
internal sealed partial class ConfigReader
{
    // SEAM (issue 14, part "paging"): one receiver per schedule and participant, oncall:<schedule>/<participant>.
    private static List<ReceiverConfig> OncallReceivers(
        IReadOnlyList<OncallSchedule> schedules, IReadOnlyList<Participant> participants, IReadOnlyList<ReceiverConfig> receivers,
        IReadOnlyDictionary<string, object?>? global) => [];
}
