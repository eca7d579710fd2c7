using System.Collections.Concurrent;
using System.Globalization;
using AlertRelay.Core.Alerts;
using Fluid;

namespace AlertRelay.Core.Notify.Templates;

/// <summary>
/// Renders per-receiver message templates (Liquid, via Fluid) over a notification. Templates are checked
/// when the configuration loads (<see cref="TryParse"/>), so a broken one is a validation error; at send
/// time a template that still fails renders a marker instead of throwing.
/// </summary>
/// <remarks>
/// The model: <c>status</c> ("firing"/"resolved"), <c>kind</c>, <c>receiver</c>, <c>alertname</c>, <c>severity</c>,
/// <c>labels</c> and <c>annotations</c> (of the first alert), <c>common_labels</c>, <c>alerts</c> (each with
/// <c>alertname</c>, <c>status</c>, <c>severity</c>, <c>labels</c>, <c>annotations</c>, <c>starts_at</c>, <c>ends_at</c>,
/// <c>generator_url</c>, <c>fingerprint</c>, <c>id</c>), <c>firing_count</c>, <c>resolved_count</c>,
/// <c>external_url</c>, <c>escalation_step</c>. Example: <c>[{{ status | upcase }}] {{ alertname }} on {{ labels.instance }}</c>.
/// </remarks>
public static class TemplateRenderer
{
    private static readonly FluidParser Parser = new();
    private static readonly TemplateOptions Options = CreateOptions();
    private static readonly ConcurrentDictionary<string, IFluidTemplate> Cache = new(StringComparer.Ordinal);

    private static TemplateOptions CreateOptions()
    {
        var options = new TemplateOptions { CultureInfo = CultureInfo.InvariantCulture, TimeZone = TimeZoneInfo.Utc };
        options.MemberAccessStrategy.Register<Dictionary<string, object?>>();
        return options;
    }

    /// <summary>Parses a template; false with a message (Go-template syntax gets a hint) when it is not valid Liquid.</summary>
    public static bool TryParse(string template, out string? error)
    {
        if (template.Contains("{{ .", StringComparison.Ordinal) || template.Contains("{{.", StringComparison.Ordinal))
        {
            error = "looks like an Alertmanager (Go) template; AlertRelay templates are Liquid, e.g. [{{ status | upcase }}] {{ alertname }} {{ labels.instance }}";
            return false;
        }

        if (Parser.TryParse(template, out var parsed, out var parseError))
        {
            Cache.TryAdd(template, parsed);
            error = null;
            return true;
        }

        error = $"invalid Liquid template: {parseError}";
        return false;
    }

    /// <summary>Renders <paramref name="template"/> for <paramref name="message"/>.</summary>
    public static string Render(string template, NotificationMessage message)
    {
        if (!Cache.TryGetValue(template, out var parsed))
        {
            if (!TryParse(template, out var error))
            {
                return $"(template error: {error})";
            }

            parsed = Cache[template];
        }

        try
        {
            return parsed.Render(new TemplateContext(Model(message), Options, allowModelMembers: false));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return $"(template error: {ex.Message})";
        }
    }

    /// <summary>The values a template sees, as plain dictionaries and lists.</summary>
    internal static Dictionary<string, object?> Model(NotificationMessage message)
    {
        var first = message.Alerts.Count > 0 ? message.Alerts[0] : null;
        var common = message.Alerts.Count == 0
            ? new Dictionary<string, object?>()
            : message.Alerts.Skip(1).Aggregate(
                first!.Labels.ToDictionary(p => p.Key, p => p.Value),
                (acc, alert) => acc.Where(p => alert.Labels.TryGetValue(p.Key, out var v) && v == p.Value).ToDictionary(p => p.Key, p => p.Value))
                .ToDictionary(p => p.Key, p => (object?)p.Value);
        return new Dictionary<string, object?>
        {
            ["status"] = NotificationText.IsResolved(message) ? "resolved" : "firing",
            ["kind"] = message.Kind.ToString().ToLowerInvariant(),
            ["receiver"] = message.Receiver,
            ["alertname"] = first?.Alertname ?? "",
            ["severity"] = first?.Severity ?? "",
            ["labels"] = Map(first?.Labels),
            ["annotations"] = Map(first?.Annotations),
            ["common_labels"] = common,
            ["alerts"] = message.Alerts.Select(AlertModel).ToList(),
            ["firing_count"] = message.FiringCount,
            ["resolved_count"] = message.ResolvedCount,
            ["external_url"] = message.ExternalUrl,
            ["escalation_step"] = message.EscalationStep ?? "",
        };
    }

    private static Dictionary<string, object?> AlertModel(NotifiedOccurrence alert) => new()
    {
        ["id"] = alert.Id,
        ["fingerprint"] = alert.Fingerprint.ToString(),
        ["alertname"] = alert.Alertname,
        ["status"] = alert.Status.ToText(),
        ["severity"] = alert.Severity,
        ["labels"] = Map(alert.Labels),
        ["annotations"] = Map(alert.Annotations),
        ["starts_at"] = Rfc3339.Format(alert.StartsAt),
        ["ends_at"] = alert.EndsAt is { } ends ? Rfc3339.Format(ends) : "",
        ["generator_url"] = alert.GeneratorUrl,
    };

    private static Dictionary<string, object?> Map(LabelSet? set) =>
        set is null ? [] : set.ToDictionary(p => p.Key, p => (object?)p.Value);
}
