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
    /// <summary>
    /// The message for <paramref name="message"/>. With <paramref name="config"/>: posted to its channel, and its
    /// <c>title</c>/<c>text</c> templates (when set) replace the built-in title and body.
    /// </summary>
    /// <param name="oncall">The buttons and page link a firing message about one alert may carry (none by default).</param>
    public static SlackMessage Build(NotificationMessage message, SlackConfig? config = null, int maxListed = DefaultMaxListed, SlackOncallView? oncall = null)
    {
        var title = Render(config?.Title, message) ?? NotificationText.Title(message);
        var body = Render(config?.Text, message);
        var tone = Tone(message);

        List<JsonObject> top = [SlackBlocks.Header($"{SlackTones.Emoji(tone)} {title}"), .. SlackPageBlocks.For(message)];
        if (message.Kind == NotificationKind.Escalation)
        {
            top.Add(SlackBlocks.Section($":rotating_light: *{SlackText.Escape(EscalationNote(message))}*"));
        }
        else if (message.Kind == NotificationKind.Reminder)
        {
            top.Add(SlackReminder.Note(message)); // a reminder with no thread to reply in
        }

        var listed = message.Kind == NotificationKind.Digest || message.Alerts.Count > MaxDetailed;
        List<JsonObject> details = body is not null ? TemplateBody(body, message)
            : listed ? ListBody(message, Math.Max(1, maxListed))
            : DetailBody(message);

        if (details.Count == 0)
        {
            details.Add(SlackBlocks.Section(message.Alerts.Count == 0 ? "_No alerts._" : $"*{SlackText.Escape(title)}*"));
        }

        details.AddRange(SlackOncallBlocks.For(message, oncall ?? SlackOncallView.None));
        FitBlocks(top.Count, details);
        var fallback = SlackText.Truncate(FallbackText(message, title), MaxFallbackText);
        var text = SlackPageBlocks.Line(message) is { } page ? SlackText.Truncate($"{page}\n{fallback}", MaxFallbackText) : fallback;
        return new SlackMessage(text)
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
    /// <param name="total">How many alerts the original message announced (a digest), when more than <paramref name="message"/> holds.</param>
    public static SlackMessage BuildResolvedReply(NotificationMessage message, SlackConfig? config = null, int? total = null)
    {
        string text;
        if (message.Alerts.Count == 1)
        {
            var alert = message.Alerts[0];
            var what = SlackText.Escape($"{alert.Alertname} {alert.Severity}".Trim());
            text = $"{SlackTones.Emoji(SlackTone.Resolved)} *Resolved*: {what}";
            if (alert.EndsAt is { } ends)
            {
                text += $" at {SlackAlertText.Date(ends)}" + (NotificationText.Lasted(alert) is { } lasted ? $" after {lasted}" : "");
            }
        }
        else
        {
            text = $"{SlackTones.Emoji(SlackTone.Resolved)} *Resolved*: {message.ResolvedCount} of {Math.Max(total ?? 0, message.Alerts.Count)} alerts";
        }

        var fallback = SlackText.Truncate(text, MaxFallbackText);
        return new SlackMessage(fallback)
        {
            Channel = config?.Channel,
            Blocks = new JsonArray(SlackBlocks.Section(text)),
        };
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

    private static SlackTone Tone(NotificationMessage message) =>
        NotificationText.IsResolved(message) ? SlackTone.Resolved : SlackTones.Worst(message.Alerts);

    private static string EscalationNote(NotificationMessage message) =>
        string.IsNullOrWhiteSpace(message.EscalationStep)
            ? "Escalated: still unacknowledged"
            : $"Escalated: {message.EscalationStep}, still unacknowledged";

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

            blocks.Add(SlackBlocks.Section(SlackAlertText.Summary(alert, multiple, NotificationText.IsResolved(message))));
            var fields = SlackAlertText.KeyLabels(alert.Labels).Select(l => $"*{SlackText.Escape(l.Key)}*\n{SlackText.Escape(l.Value)}").ToList();
            if (fields.Count > 0)
            {
                blocks.Add(SlackBlocks.Fields(fields));
            }

            blocks.Add(SlackBlocks.Context(SlackAlertText.Times(alert)));
            var links = SlackAlertText.Links(alert);
            if (links.Count > 0)
            {
                blocks.Add(SlackBlocks.Actions(links, $"alert-{i}"));
            }
        }

        return blocks;
    }

    private static List<JsonObject> ListBody(NotificationMessage message, int maxListed)
    {
        var ordered = message.Alerts
            .OrderBy(a => a.Status == AlertStatus.Firing ? 0 : 1)
            .ThenByDescending(SlackTones.Of)
            .ThenBy(a => a.StartsAt)
            .ToList();
        var lines = ordered.Take(maxListed).Select(SlackAlertText.ListLine).ToList();

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
            blocks.Add(SlackBlocks.Context(SlackAlertText.Times(message.Alerts[0])));
            var links = SlackAlertText.Links(message.Alerts[0]);
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
        else if (message.Kind == NotificationKind.Reminder)
        {
            text.Append(ReminderText.Note(message)).Append(": ");
        }

        text.Append(title);
        if (message.Alerts.Count == 1)
        {
            var summary = SlackAlertText.SummaryAnnotation(message.Alerts[0]);
            if (summary.Length > 0)
            {
                text.Append(": ").Append(SlackText.OneLine(summary));
            }
        }
        else if (message.Alerts.Count > 1)
        {
            var names = message.Alerts.Select(SlackAlertText.Name).Distinct(StringComparer.Ordinal).ToList();
            text.Append(": ").Append(string.Join(", ", names.Take(10)));
            if (names.Count > 10)
            {
                text.Append(", …");
            }
        }

        return SlackText.Escape(text.ToString());
    }
}
