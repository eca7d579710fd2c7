using AlertRelay.Core.Alerts;
using AlertRelay.Core.Inhibition;

namespace AlertRelay.Core.Configuration;

/// <summary>The <c>inhibit_rules:</c> section, compiled to <see cref="InhibitRule"/> named by <c>name</c>, else <c>inhibit_rules[i]</c>.</summary>
internal sealed partial class ConfigReader
{
    private static readonly string[] InhibitRuleKeys = AlertmanagerFields.Keys(AlertmanagerFields.InhibitRules);

    private List<InhibitRule> ReadInhibitRules(ConfigNode? node)
    {
        var rules = new List<InhibitRule>();
        var items = Sequence(node, "inhibit_rules");
        for (var i = 0; i < items.Count; i++)
        {
            var path = Index("inhibit_rules", i);
            if (Mapping(items[i], path) is not { } map)
            {
                continue;
            }

            var fields = Fields(map, path, InhibitRuleKeys);
            rules.Add(new InhibitRule(ReadSide(fields, path, "source"), ReadSide(fields, path, "target"), ReadEqual(fields, path))
            {
                Name = Text(fields, "name", path) is { Length: > 0 } name ? name : path,
            });
        }

        return rules;
    }

    private Matcher[] ReadSide(Dictionary<string, Field> fields, string path, string side)
    {
        var matchers = new List<Matcher>();
        matchers.AddRange(LegacyMatchers(Value(fields, side + "_match"), Child(path, side + "_match"), regex: false));
        matchers.AddRange(LegacyMatchers(Value(fields, side + "_match_re"), Child(path, side + "_match_re"), regex: true));
        matchers.AddRange(MatcherList(Value(fields, side + "_matchers"), Child(path, side + "_matchers")));
        return Sorted(matchers);
    }

    private List<string> ReadEqual(Dictionary<string, Field> fields, string path)
    {
        var equalPath = Child(path, "equal");
        var items = Sequence(Value(fields, "equal"), equalPath);
        var names = new List<string>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var name = String(items[i], Index(equalPath, i));
            if (name is null || !IsLabelName(name))
            {
                Error(items[i].Line, Index(equalPath, i), $"invalid label name {items[i].Describe()} in equal list");
            }
            else
            {
                names.Add(name);
            }
        }

        return names;
    }
}
