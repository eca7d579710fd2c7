using AlertRelay.Core.Schedules;

namespace AlertRelay.Core.Configuration;

/// <summary>The receivers made for the schedules' participants: how <c>oncall:&lt;schedule&gt;</c> reaches the person on call.</summary>
internal sealed partial class ConfigReader
{
    /// <summary>Every schedule's <see cref="OncallPagingReceivers"/>; a participant they cannot reach is an error on the schedule's line.</summary>
    private List<ReceiverConfig> OncallReceivers(
        IReadOnlyList<OncallSchedule> schedules, IReadOnlyList<Participant> participants, IReadOnlyList<ReceiverConfig> receivers,
        IReadOnlyDictionary<string, object?>? global, ConfigNode? schedulesNode)
    {
        var made = new List<ReceiverConfig>();
        foreach (var schedule in schedules)
        {
            if (schedule.Receiver is { } name && !receivers.Any(r => r.Name == name))
            {
                continue; // its undefined receiver is the error (reported by the schedules section), not the people it cannot reach
            }

            var (scheduleReceivers, problems) = OncallPagingReceivers.Make(schedule, participants, receivers, global);
            made.AddRange(scheduleReceivers);
            var (line, path) = ScheduleLine(schedulesNode, schedule.Name);
            foreach (var problem in problems)
            {
                Error(line, path, problem);
            }
        }

        return made;
    }

    /// <summary>The line and path of a schedule's entry in <c>oncall_schedules</c> (found by its name), for errors.</summary>
    private static (int Line, string Path) ScheduleLine(ConfigNode? node, string schedule)
    {
        if (node is ConfigSequence sequence)
        {
            for (var i = 0; i < sequence.Items.Count; i++)
            {
                if (sequence.Items[i] is ConfigMapping map &&
                    map.Entries.Any(e => e.Key.Value == "name" && e.Value is ConfigScalar { Value: var value } && value == schedule))
                {
                    return (map.Line, Index("oncall_schedules", i));
                }
            }
        }

        return (node?.Line ?? 1, "oncall_schedules");
    }
}
