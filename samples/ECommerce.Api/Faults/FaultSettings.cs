using System.Text.Json.Serialization;

namespace ECommerce.Api.Faults;

/// <summary>The fault configuration: a rule per route template, and a global rule for routes without one.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record FaultSettings
{
    /// <summary>Rules by route template (as in the metrics' route label, e.g. <c>/api/cart/items/{productId}</c>).</summary>
    public Dictionary<string, FaultRule> Routes { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The rule for every other route (health included; <c>/metrics</c> and <c>/admin/*</c> never get faults).</summary>
    public FaultRule? Global { get; init; }

    /// <summary>Problems with the rules, keyed like <c>routes[/api/products].errorRate</c> or <c>global.latencyMs</c>.</summary>
    public IEnumerable<KeyValuePair<string, string>> Validate()
    {
        var problems = Global?.Validate("global") ?? [];
        foreach (var (route, rule) in Routes)
        {
            if (rule is null)
            {
                problems = problems.Append(new($"routes[{route}]", "must be an object"));
                continue;
            }

            problems = problems.Concat(rule.Validate($"routes[{route}]"));
        }

        return problems;
    }

    /// <summary>A copy whose route lookup ignores case and which leaves out rules that change nothing.</summary>
    public FaultSettings Normalize() => new()
    {
        Global = Global is { IsNoop: false } ? Global : null,
        Routes = Routes.Where(r => r.Value is { IsNoop: false })
            .ToDictionary(r => r.Key, r => r.Value, StringComparer.OrdinalIgnoreCase),
    };
}
