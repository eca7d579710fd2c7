using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Notify.Templates;

namespace AlertRelay.Core.Notify.Slack;

/// <summary>Lays a notification out as a Block Kit message with a severity colour bar and a fallback text, within Slack's limits.</summary>
/// <remarks>
/// Top-level blocks: a header (severity emoji and an Alertmanager-style title) and, for an escalation, its note. One
/// attachment, coloured by severity (green once resolved), holds the body: summary, description, key labels, times and
/// Source/Runbook/Dashboard buttons per alert, or for a digest (or more than <see cref="MaxDetailed"/> alerts) one line
/// per alert and "…and K more". Label and annotation text is mrkdwn-escaped; rendered templates are not.
/// </remarks>
public static class SlackMessageBuilder
{
    /// <summary>Alerts listed by name in a digest (or a message about many alerts) before "and K more".</summary>
    public const int DefaultMaxListed = 20;

    /// <summary>A message about more alerts than this (or any digest) lists them one line each instead of in detail.</summary>
    public const int MaxDetailed = 3;

    /// <summary>The fallback text's limit (notifications show far less; Slack rejects 40,000).</summary>
    public const int MaxFallbackText = 3000;

    private const int MaxTemplateSections = 20;
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

    /// <summary>
    /// The message for <paramref name="message"/>. With <paramref name="config"/>: posted to its channel, and its
    /// <c>title</c>/<c>text</c> templates (when set) replace the built-in title and body.
    /// </summary>
    public static SlackMessage Build(NotificationMessage message, SlackConfig? config = null, int maxListed = DefaultMaxListed)
    {
        var title = Render(config?.Title, message) ?? Title(message);
        var body = Render(config?.Text, message);
        var tone = Tone(message);

        List<JsonObject> top = [SlackBlocks.Header($"{SlackTones.Emoji(tone)} {title}")];
        if (message.Kind == NotificationKind.Escalation)
        {
            top.Add(SlackBlocks.Section($":rotating_light: *{SlackText.Escape(EscalationNote(message))}*"));
        }

        var listed = message.Kind == NotificationKind.Digest || message.Alerts.Count > MaxDetailed;
        List<JsonObject> details = body is not null ? TemplateBody(body, message)
            : listed ? ListBody(message, Math.Max(1, maxListed))
            : DetailBody(message);

        if (details.Count == 0)
        {
            details.Add(SlackBlocks.Section(message.Alerts.Count == 0 ? "_No alerts._" : $"*{SlackText.Escape(title)}*"));
        }

        FitBlocks(top.Count, details);
        var fallback = SlackText.Truncate(FallbackText(message, title), MaxFallbackText);
        return new SlackMessage(fallback)
        {
            Channel = config?.Channel,
            Blocks = new JsonArray([.. top]),
            Attachments = new JsonArray(new JsonObject
            {
                ["color"] = SlackTones.Color(tone),
                ["fallback"] = fallback,
                ["blocks"] = new JsonArray([.. details]),
            }),
        };
    }

    /// <summary>The thread reply under the original message when it resolves: what resolved, when, and after how long.</summary>
    public static SlackMessage BuildResolvedReply(NotificationMessage message, SlackConfig? config = null)
    {
        string text;
        if (message.Alerts.Count == 1)
        {
            var alert = message.Alerts[0];
            var what = SlackText.Escape($"{alert.Alertname} {alert.Severity}".Trim());
            text = alert.EndsAt is { } ends
                ? $"{SlackTones.Emoji(SlackTone.Resolved)} *Resolved*: {what} at {Date(ends)} after {Duration(ends - alert.StartsAt)}"
                : $"{SlackTones.Emoji(SlackTone.Resolved)} *Resolved*: {what}";
        }
        else
        {
            text = $"{SlackTones.Emoji(SlackTone.Resolved)} *Resolved*: {message.ResolvedCount} of {message.Alerts.Count} alerts";
        }

        var fallback = SlackText.Truncate(text, MaxFallbackText);
        return new SlackMessage(fallback)
        {
            Channel = config?.Channel,
            Blocks = new JsonArray(SlackBlocks.Section(text)),
        };
    }

    /// <summary>
    /// Alertmanager's default title: <c>[FIRING:1] HighErrorRate critical</c>, <c>[RESOLVED] HighErrorRate critical</c>;
    /// for alerts with different names <c>[FIRING:10, RESOLVED:2] 12 alerts for oncall</c>.
    /// </summary>
    public static string Title(NotificationMessage message)
    {
        var status = IsResolved(message)
            ? "RESOLVED"
            : message.ResolvedCount > 0 && message.Kind == NotificationKind.Digest
                ? $"FIRING:{message.FiringCount}, RESOLVED:{message.ResolvedCount}"
                : $"FIRING:{message.FiringCount}";
        var name = Common(message.Alerts, a => a.Alertname);
        var severity = Common(message.Alerts, a => a.Severity);
        var subject = name.Length > 0 || message.Alerts.Count <= 1
            ? $"{name} {severity}".Trim()
            : $"{message.Alerts.Count} alerts for {message.Receiver}";
        if (name.Length > 0 && message.Alerts.Count > 1)
        {
            subject += $" ({message.Alerts.Count} alerts)";
        }

        return $"[{status}] {subject}".TrimEnd();
    }

    private static string? Render(string? template, NotificationMessage message)
    {
        if (string.IsNullOrWhiteSpace(template))
        {
            return null;
        }

        var rendered = TemplateRenderer.Render(template, message).Trim();
        // A template that renders to nothing would leave an empty (invalid) Slack text: keep the built-in one.
        return rendered.Length == 0 ? null : rendered;
    }

    private static bool IsResolved(NotificationMessage message) =>
        message.Kind == NotificationKind.Resolved || (message.Alerts.Count > 0 && message.FiringCount == 0);

    private static SlackTone Tone(NotificationMessage message) =>
        IsResolved(message) ? SlackTone.Resolved : SlackTones.Worst(message.Alerts);

    private static string EscalationNote(NotificationMessage message) =>
        string.IsNullOrWhiteSpace(message.EscalationStep)
            ? "Escalated: still unacknowledged"
            : $"Escalated: {message.EscalationStep}, still unacknowledged";

    private static string Common(IReadOnlyList<AlertSnapshot> alerts, Func<AlertSnapshot, string> value)
    {
        if (alerts.Count == 0)
        {
            return "";
        }

        var first = value(alerts[0]);
        return alerts.All(a => value(a) == first) ? first : "";
    }

    private static List<JsonObject> DetailBody(NotificationMessage message)
    {
        var blocks = new List<JsonObject>();
        var multiple = message.Alerts.Count > 1;
        for (var i = 0; i < message.Alerts.Count; i++)
        {
            var alert = message.Alerts[i];
            if (i > 0)
            {
                blocks.Add(SlackBlocks.Divider());
            }

            blocks.Add(SlackBlocks.Section(Summary(alert, multiple, IsResolved(message))));
            var fields = KeyLabels(alert.Labels).Select(l => $"*{SlackText.Escape(l.Key)}*\n{SlackText.Escape(l.Value)}").ToList();
            if (fields.Count > 0)
            {
                blocks.Add(SlackBlocks.Fields(fields));
            }

            blocks.Add(SlackBlocks.Context(Times(alert)));
            var links = Links(alert);
            if (links.Count > 0)
            {
                blocks.Add(SlackBlocks.Actions(links, $"alert-{i}"));
            }
        }

        return blocks;
    }

    private static string Summary(AlertSnapshot alert, bool withName, bool resolvedMessage)
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

    private static string SummaryAnnotation(AlertSnapshot alert)
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

    private static string Name(AlertSnapshot alert) => alert.Alertname.Length > 0 ? alert.Alertname : "(no alertname)";

    /// <summary>The labels worth showing: where and what (instance, job, service, route...) first, then the rest by name, without the noise.</summary>
    internal static IEnumerable<KeyValuePair<string, string>> KeyLabels(LabelSet labels)
    {
        var shown = labels.Where(l => !HiddenLabels.Contains(l.Key) && !l.Key.StartsWith("__", StringComparison.Ordinal) && l.Value.Length > 0);
        return shown
            .OrderBy(l => Array.IndexOf(PreferredLabels, l.Key) is var index and >= 0 ? index : PreferredLabels.Length)
            .ThenBy(l => l.Key, StringComparer.Ordinal)
            .Take(SlackBlocks.MaxFields);
    }

    private static List<string> Times(AlertSnapshot alert)
    {
        var times = new List<string> { $"Started {Date(alert.StartsAt)}" };
        if (alert.Status == AlertStatus.Resolved && alert.EndsAt is { } ends)
        {
            times.Add($"Ended {Date(ends)} (lasted {Duration(ends - alert.StartsAt)})");
        }

        if (alert.Severity.Length > 0)
        {
            times.Add($"Severity: {SlackText.Escape(alert.Severity)}");
        }

        return times;
    }

    /// <summary>Source (generatorURL), Runbook (runbook_url) and Dashboard (dashboard / dashboard_url) buttons, for the URLs Slack accepts.</summary>
    internal static List<(string Text, string Url)> Links(AlertSnapshot alert)
    {
        var links = new List<(string, string)>();
        Add("Source", alert.GeneratorUrl);
        Add("Runbook", First(alert.Annotations, "runbook_url", "runbook"));
        Add("Dashboard", First(alert.Annotations, "dashboard_url", "dashboard"));
        return links;

        void Add(string text, string url)
        {
            if (SlackBlocks.IsLinkable(url))
            {
                links.Add((text, url.Trim()));
            }
        }
    }

    private static string First(LabelSet annotations, params string[] names) =>
        names.Select(annotations.Get).FirstOrDefault(v => v.Trim().Length > 0) ?? "";

    private static List<JsonObject> ListBody(NotificationMessage message, int maxListed)
    {
        var ordered = message.Alerts
            .OrderBy(a => a.Status == AlertStatus.Firing ? 0 : 1)
            .ThenByDescending(SlackTones.Of)
            .ThenBy(a => a.StartsAt)
            .ToList();
        var lines = ordered.Take(maxListed).Select(ListLine).ToList();

        var blocks = new List<JsonObject>();
        var section = new StringBuilder();
        foreach (var line in lines)
        {
            if (section.Length > 0 && section.Length + 1 + line.Length > SlackBlocks.MaxSectionText)
            {
                blocks.Add(SlackBlocks.Section(section.ToString()));
                section.Clear();
            }

            section.Append(section.Length > 0 ? "\n" : "").Append(line);
        }

        if (section.Length > 0)
        {
            blocks.Add(SlackBlocks.Section(section.ToString()));
        }

        var context = new List<string>();
        if (ordered.Count > lines.Count)
        {
            context.Add($"…and {ordered.Count - lines.Count} more");
        }

        var digest = message.Kind == NotificationKind.Digest ? "Digest: many alerts changed at once" : $"{message.Alerts.Count} alerts";
        context.Add($"{digest} · receiver *{SlackText.Escape(message.Receiver)}* · {message.FiringCount} firing, {message.ResolvedCount} resolved");
        blocks.Add(SlackBlocks.Context(context));
        return blocks;
    }

    /// <summary>One alert in a list: emoji, name, severity, instance and summary on one line.</summary>
    private static string ListLine(AlertSnapshot alert)
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

    /// <summary>A rendered <c>text</c> template (the author's mrkdwn, not escaped), in sections split at line breaks; a single alert keeps its times and links.</summary>
    private static List<JsonObject> TemplateBody(string body, NotificationMessage message)
    {
        var blocks = new List<JsonObject>();
        var section = new StringBuilder();
        foreach (var line in body.ReplaceLineEndings("\n").Split('\n'))
        {
            if (section.Length > 0 && section.Length + 1 + line.Length > SlackBlocks.MaxSectionText)
            {
                blocks.Add(SlackBlocks.Section(section.ToString()));
                section.Clear();
            }

            section.Append(section.Length > 0 ? "\n" : "").Append(line);
        }

        if (section.ToString().Trim().Length > 0)
        {
            blocks.Add(SlackBlocks.Section(section.ToString()));
        }

        if (blocks.Count > MaxTemplateSections)
        {
            blocks.RemoveRange(MaxTemplateSections, blocks.Count - MaxTemplateSections);
            blocks.Add(SlackBlocks.Context(["…text truncated"]));
        }

        if (message.Alerts.Count == 1)
        {
            blocks.Add(SlackBlocks.Context(Times(message.Alerts[0])));
            var links = Links(message.Alerts[0]);
            if (links.Count > 0)
            {
                blocks.Add(SlackBlocks.Actions(links, "alert-0"));
            }
        }

        return blocks;
    }

    /// <summary>Keeps top-level plus attachment blocks within Slack's 50, ending with a note when blocks were dropped.</summary>
    private static void FitBlocks(int topCount, List<JsonObject> details)
    {
        var room = SlackBlocks.MaxBlocks - topCount;
        if (details.Count <= room)
        {
            return;
        }

        details.RemoveRange(room - 1, details.Count - (room - 1));
        details.Add(SlackBlocks.Context(["…message truncated (Slack allows 50 blocks)"]));
    }

    private static string FallbackText(NotificationMessage message, string title)
    {
        var text = new StringBuilder();
        if (message.Kind == NotificationKind.Escalation)
        {
            text.Append(EscalationNote(message)).Append(": ");
        }

        text.Append(title);
        if (message.Alerts.Count == 1)
        {
            var summary = SummaryAnnotation(message.Alerts[0]);
            if (summary.Length > 0)
            {
                text.Append(": ").Append(SlackText.OneLine(summary));
            }
        }
        else if (message.Alerts.Count > 1)
        {
            var names = message.Alerts.Select(Name).Distinct(StringComparer.Ordinal).ToList();
            text.Append(": ").Append(string.Join(", ", names.Take(10)));
            if (names.Count > 10)
            {
                text.Append(", …");
            }
        }

        return SlackText.Escape(text.ToString());
    }

    /// <summary>A Slack date token: shown in each reader's time zone, with a UTC fallback.</summary>
    private static string Date(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        var fallback = utc.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
        return $"<!date^{utc.ToUnixTimeSeconds()}^{{date_short_pretty}} {{time_secs}}|{fallback}>";
    }

    /// <summary>Prometheus-style durations: 45s, 12m, 1h5m, 2d3h.</summary>
    internal static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }

        if (span < TimeSpan.FromMinutes(1))
        {
            return $"{(int)span.TotalSeconds}s";
        }

        var parts = new StringBuilder();
        if (span.Days > 0)
        {
            parts.Append(span.Days).Append('d');
        }

        if (span.Hours > 0)
        {
            parts.Append(span.Hours).Append('h');
        }

        if (span.Minutes > 0 && span.Days == 0)
        {
            parts.Append(span.Minutes).Append('m');
        }

        if (span.Seconds > 0 && span.TotalHours < 1)
        {
            parts.Append(span.Seconds).Append('s');
        }

        return parts.ToString();
    }
}
