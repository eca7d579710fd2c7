using System.Text;
using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.Notify.Slack;

/// <summary>How one alert reads in Slack (mrkdwn, escaped): its summary, key labels, times, link buttons and list line.</summary>
internal static class SlackAlertText
{
    private const int MaxListSummary = 150;

    // Labels that say where and what, shown first and in this order; the rest follow by name.
    private static readonly string[] PreferredLabels =
    [
        "instance", "job", "service", "namespace", "cluster", "env", "environment", "region", "team", "route", "method",
        "handler", "pod", "container", "node", "device", "mountpoint",
    ];

    // Shown elsewhere (alertname, severity) or noise that every alert of a setup carries.
    private static readonly HashSet<string> HiddenLabels = new(StringComparer.Ordinal)
    {
        "alertname", "severity", "prometheus", "prometheus_replica", "replica", "monitor", "receive", "tenant_id", "endpoint",
        "uid", "id", "image", "image_id", "container_id", "pod_template_hash", "controller_revision_hash", "metrics_path",
        "scheme", "le", "quantile",
    };

    /// <summary>The alert's section: its name when <paramref name="withName"/>, summary and description, or that it fires or resolved.</summary>
    public static string Summary(NotifiedOccurrence alert, bool withName, bool resolvedMessage)
    {
        var lines = new List<string>();
        if (withName)
        {
            var severity = alert.Severity.Length > 0 ? $" `{SlackText.Escape(alert.Severity)}`" : "";
            lines.Add($"{SlackTones.Emoji(SlackTones.Of(alert))} *{SlackText.Escape(Name(alert))}*{severity}");
        }

        var summary = SummaryAnnotation(alert);
        var description = alert.Annotations.Get("description").Trim();
        if (summary.Length > 0)
        {
            lines.Add($"*{SlackText.Escape(SlackText.OneLine(summary))}*");
        }

        if (description.Length > 0 && description != summary)
        {
            lines.Add(SlackText.Escape(description));
        }

        if (lines.Count == 0)
        {
            var state = alert.Status == AlertStatus.Resolved || resolvedMessage ? "has resolved" : "is firing";
            lines.Add($"*{SlackText.Escape(Name(alert))}* {state}");
        }

        return string.Join("\n", lines);
    }

    /// <summary>The first of the summary, message and title annotations that is set, or "".</summary>
    public static string SummaryAnnotation(NotifiedOccurrence alert)
    {
        foreach (var name in (string[])["summary", "message", "title"])
        {
            var value = alert.Annotations.Get(name).Trim();
            if (value.Length > 0)
            {
                return value;
            }
        }

        return "";
    }

    /// <summary>The alertname, or a placeholder for an alert without one.</summary>
    public static string Name(NotifiedOccurrence alert) => alert.Alertname.Length > 0 ? alert.Alertname : "(no alertname)";

    /// <summary>The labels worth showing: where and what (instance, job, service, route...) first, then the rest by name, without the noise.</summary>
    public static IEnumerable<KeyValuePair<string, string>> KeyLabels(LabelSet labels)
    {
        var shown = labels.Where(l => !HiddenLabels.Contains(l.Key) && !l.Key.StartsWith("__", StringComparison.Ordinal) && l.Value.Length > 0);
        return shown
            .OrderBy(l => Array.IndexOf(PreferredLabels, l.Key) is var index and >= 0 ? index : PreferredLabels.Length)
            .ThenBy(l => l.Key, StringComparer.Ordinal)
            .Take(SlackBlocks.MaxFields);
    }

    /// <summary>The context line: when it started, when it ended and how long it lasted, its severity.</summary>
    public static List<string> Times(NotifiedOccurrence alert)
    {
        var times = new List<string> { $"Started {Date(alert.StartsAt)}" };
        if (alert.Status == AlertStatus.Resolved && alert.EndsAt is { } ends)
        {
            times.Add($"Ended {Date(ends)}" + (NotificationText.Lasted(alert) is { } lasted ? $" (lasted {lasted})" : ""));
        }

        if (alert.Severity.Length > 0)
        {
            times.Add($"Severity: {SlackText.Escape(alert.Severity)}");
        }

        return times;
    }

    /// <summary>The alert's links (<see cref="NotificationText.Links"/>) that Slack accepts as buttons.</summary>
    public static List<(string Text, string Url)> Links(NotifiedOccurrence alert) =>
        NotificationText.Links(alert).Where(l => SlackBlocks.IsLinkable(l.Url)).ToList();

    /// <summary>One alert in a list: emoji, name, severity, instance and summary on one line.</summary>
    public static string ListLine(NotifiedOccurrence alert)
    {
        var line = new StringBuilder();
        line.Append(SlackTones.Emoji(SlackTones.Of(alert))).Append(" *").Append(SlackText.Escape(Name(alert))).Append('*');
        if (alert.Severity.Length > 0)
        {
            line.Append(" `").Append(SlackText.Escape(alert.Severity)).Append('`');
        }

        var where = alert.Labels.Get("instance") is { Length: > 0 } instance ? instance : alert.Labels.Get("job");
        if (where.Length > 0)
        {
            line.Append(' ').Append(SlackText.Escape(SlackText.OneLine(where)));
        }

        if (alert.Status == AlertStatus.Resolved)
        {
            line.Append(" _(resolved)_");
        }

        var summary = SummaryAnnotation(alert);
        if (summary.Length > 0)
        {
            line.Append(" — ").Append(SlackText.Truncate(SlackText.Escape(SlackText.OneLine(summary)), MaxListSummary));
        }

        return SlackText.Truncate(line.ToString(), SlackBlocks.MaxSectionText);
    }

    /// <summary>A Slack date token: shown in each reader's time zone, with a UTC fallback.</summary>
    public static string Date(DateTimeOffset at) =>
        $"<!date^{at.ToUnixTimeSeconds()}^{{date_short_pretty}} {{time_secs}}|{NotificationText.Time(at)}>";
}
