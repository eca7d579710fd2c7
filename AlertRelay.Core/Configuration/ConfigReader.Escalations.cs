using AlertRelay.Core.Escalation;

namespace AlertRelay.Core.Configuration;

/// <summary>The <c>escalations:</c> section (AlertRelay's own): named policies with matchers, time-ordered steps and reminders (<c>repeat</c>).</summary>
internal sealed partial class ConfigReader
{
    private static readonly string[] EscalationKeys = ["name", "matchers", "steps", "repeat"];

    private static readonly string[] StepKeys = ["after", "notify", "set_severity"];

    private List<EscalationPolicy> ReadEscalations(ConfigNode? node, IReadOnlySet<string> receivers)
    {
        var policies = new List<EscalationPolicy>();
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        var items = Sequence(node, "escalations");
        for (var i = 0; i < items.Count; i++)
        {
            var path = Index("escalations", i);
            if (Mapping(items[i], path) is not { } map)
            {
                continue;
            }

            var fields = Fields(map, path, EscalationKeys);
            var name = String(Value(fields, "name"), Child(path, "name"));
            if (string.IsNullOrEmpty(name))
            {
                if (Value(fields, "name") is null or ConfigScalar)
                {
                    Error(map.Line, path, "missing name in escalation");
                }
            }
            else if (!firstLine.TryAdd(name, fields["name"].Value.Line))
            {
                Error(fields["name"].Value.Line, Child(path, "name"), $"duplicate escalation name \"{name}\" (first defined on line {firstLine[name]})");
            }

            var matchers = MatcherList(Value(fields, "matchers"), Child(path, "matchers"));
            var repeat = ReadRepeat(fields, path);
            var steps = ReadSteps(fields, map, path, receivers, hasRepeat: fields.ContainsKey("repeat"));
            policies.Add(new EscalationPolicy(name ?? "", Sorted(matchers), steps) { Repeat = repeat });
        }

        return policies;
    }

    /// <summary>
    /// <c>repeat: [15m, 30m, 1h, 4h]</c>: the reminder intervals, each &gt; 0, the last repeating (see <see cref="ReminderStage"/>).
    /// Absent: no reminders; present, it must name at least one.
    /// </summary>
    private List<TimeSpan> ReadRepeat(Dictionary<string, Field> fields, string path)
    {
        var repeat = new List<TimeSpan>();
        if (!fields.TryGetValue("repeat", out var field))
        {
            return repeat;
        }

        var repeatPath = Child(path, "repeat");
        var items = Sequence(Value(fields, "repeat"), repeatPath);
        if (items.Count == 0 && (Value(fields, "repeat") is null or ConfigSequence))
        {
            Error(field.Key.Line, repeatPath, "repeat needs at least one duration (or leave it out for no reminders)");
        }

        for (var i = 0; i < items.Count; i++)
        {
            var itemPath = Index(repeatPath, i);
            if (Duration(items[i], itemPath) is not { } interval)
            {
                continue;
            }

            if (interval <= TimeSpan.Zero)
            {
                Error(items[i].Line, itemPath, $"a repeat interval must be greater than 0, got {PrometheusDuration.Format(interval)}");
                continue;
            }

            repeat.Add(interval);
        }

        return repeat;
    }

    private List<EscalationStep> ReadSteps(
        Dictionary<string, Field> fields, ConfigMapping policy, string path, IReadOnlySet<string> receivers, bool hasRepeat)
    {
        var stepsPath = Child(path, "steps");
        var items = Sequence(Value(fields, "steps"), stepsPath);
        // A policy that only reminds needs no steps; one that does neither does nothing.
        if (items.Count == 0 && (Value(fields, "steps") is null || Value(fields, "steps") is ConfigSequence) && !hasRepeat)
        {
            var line = fields.TryGetValue("steps", out var stepsField) ? stepsField.Key.Line : policy.Line;
            Error(line, stepsPath, "an escalation needs at least one step");
        }

        var steps = new List<EscalationStep>();
        (TimeSpan After, int Index)? previous = null;
        for (var i = 0; i < items.Count; i++)
        {
            var stepPath = Index(stepsPath, i);
            if (Mapping(items[i], stepPath) is not { } map)
            {
                continue;
            }

            var step = Fields(map, stepPath, StepKeys);
            TimeSpan? after = null;
            if (step.TryGetValue("after", out var afterField))
            {
                after = Duration(afterField.Value, Child(stepPath, "after"));
            }
            else
            {
                Error(map.Line, stepPath, "missing required field \"after\"");
            }

            var notify = Text(step, "notify", stepPath);
            var setSeverity = Text(step, "set_severity", stepPath);
            if (string.IsNullOrEmpty(notify) && string.IsNullOrEmpty(setSeverity))
            {
                Error(map.Line, stepPath, "a step needs at least one of notify or set_severity");
            }
            else if (!string.IsNullOrEmpty(notify) && !receivers.Contains(notify))
            {
                Error(step["notify"].Value.Line, Child(stepPath, "notify"), $"undefined receiver \"{notify}\"");
            }

            if (after is { } value)
            {
                if (previous is { } before && value <= before.After)
                {
                    Error(
                        afterField.Value.Line,
                        Child(stepPath, "after"),
                        $"steps must be in strictly increasing order of after: {PrometheusDuration.Format(value)} is not after " +
                        $"{PrometheusDuration.Format(before.After)} ({Index(stepsPath, before.Index)})");
                }

                previous = (value, i);
                steps.Add(new EscalationStep(value, NullIfEmpty(notify), NullIfEmpty(setSeverity)));
            }
        }

        return steps;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
