using System.Globalization;
using System.Net;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Notify.Templates;
using MimeKit;

namespace AlertRelay.Core.Notify.Email;

/// <summary>Builds the MIME message for a notification: subject, threading headers, custom headers, and a text + HTML body.</summary>
/// <remarks>
/// <para>Subjects follow Alertmanager's default (<c>[FIRING:1] HighErrorRate critical</c>, <c>[RESOLVED] ...</c>),
/// plus <c>[ESCALATED] ...</c> and, for a digest or several alerts, <c>[FIRING:37] 37 alerts for receiver team-email</c>.</para>
/// <para>Threading: every mail has a stable Message-ID (<see cref="MessageId"/>). A mail that follows up an
/// earlier one (<see cref="NotificationMessage.Previous"/> has an e-mail Message-ID: a resolve or an escalation)
/// carries <c>In-Reply-To</c> and <c>References</c> with it and a subject starting with <c>Re: </c>; every mail has a
/// <c>Thread-Topic</c> (Outlook) that is the same for one alert whatever its state. Thunderbird, Apple Mail and
/// Outlook thread on these; Gmail also wants the subjects to match after "Re:", which the status tag prevents,
/// so there a resolve is a separate conversation that still points at the firing mail.</para>
/// </remarks>
public static class EmailMessageBuilder
{
    /// <summary>Headers AlertRelay sets itself; the same names in <c>headers:</c> are ignored (Subject is an override instead).</summary>
    public static IReadOnlySet<string> OwnedHeaders { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "From", "To", "Date", "Message-ID", "In-Reply-To", "References", "Thread-Topic", "Sender",
        "MIME-Version", "Content-Type", "Content-Transfer-Encoding", "Content-Disposition", "Content-ID",
    };

    /// <summary>
    /// Builds the message; <paramref name="now"/> is its Date. <paramref name="links"/> (signed on-call links, see
    /// <see cref="EmailLinks.For"/>) are added to the built-in bodies; a custom <c>text</c> / <c>html</c> template is left as written.
    /// </summary>
    public static MimeMessage Build(NotificationMessage message, EmailSettings settings, DateTimeOffset now, EmailLinks? links = null)
    {
        var mime = new MimeMessage();
        mime.From.Add(settings.From);
        mime.To.AddRange(settings.To);
        mime.Date = now;
        mime.MessageId = Unbracket(MessageId(message, settings.From));

        var previous = PreviousMessageId(message);
        if (previous is not null)
        {
            mime.InReplyTo = Unbracket(previous);
            mime.References.Add(Unbracket(previous));
        }

        var subject = Subject(message, settings);
        mime.Subject = subject;
        mime.Headers.Replace("Thread-Topic", NotificationText.Topic(message));

        foreach (var (name, template) in settings.Headers.OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase))
        {
            if (OwnedHeaders.Contains(name) || string.Equals(name, "Subject", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            mime.Headers.Replace(name, OneLine(TemplateRenderer.Render(template, message)));
        }

        var body = new BodyBuilder
        {
            TextBody = settings.Text is null ? EmailBody.Text(message, subject, links) : TemplateRenderer.Render(settings.Text, message),
            HtmlBody = settings.Html is null ? EmailBody.Html(message, subject, links) : TemplateRenderer.Render(settings.Html, HtmlEscaped(message)),
        };
        mime.Body = body.ToMessageBody();
        return mime;
    }

    /// <summary>
    /// The Message-ID, with angle brackets: <c>&lt;alertrelay.{notificationId}.{fingerprint}@{domain of From}&gt;</c>
    /// (<c>digest</c> instead of the fingerprint for a digest). The same notification always gets the same id,
    /// so a retried send does not look like a new mail.
    /// </summary>
    public static string MessageId(NotificationMessage message, MailboxAddress from)
    {
        var subject = message.Kind != NotificationKind.Digest && message.Alerts.Count == 1
            ? message.Alerts[0].Fingerprint.ToString()
            : "digest";
        return $"<alertrelay.{message.NotificationId.ToString(CultureInfo.InvariantCulture)}.{subject}@{Domain(from)}>";
    }

    /// <summary>The subject: the <c>Subject</c> header template when set (and not blank once rendered), otherwise <see cref="DefaultSubject"/>; prefixed with "Re: " for a follow-up.</summary>
    public static string Subject(NotificationMessage message, EmailSettings settings)
    {
        var subject = settings.Headers.FirstOrDefault(h => string.Equals(h.Key, "Subject", StringComparison.OrdinalIgnoreCase)).Value is { } template
            ? OneLine(TemplateRenderer.Render(template, message)).Trim()
            : "";
        if (subject.Length == 0)
        {
            subject = DefaultSubject(message);
        }

        return PreviousMessageId(message) is not null && !subject.StartsWith("Re:", StringComparison.OrdinalIgnoreCase)
            ? "Re: " + subject
            : subject;
    }

    /// <summary>Alertmanager's default subject shape: a status tag and the topic, e.g. <c>[FIRING:1] HighErrorRate critical</c>, <c>[ESCALATED] HighErrorRate critical</c>.</summary>
    public static string DefaultSubject(NotificationMessage message) => $"{NotificationText.SubjectTag(message)} {NotificationText.Topic(message)}";

    private static string? PreviousMessageId(NotificationMessage message) =>
        message.Previous?.EmailMessageId is { Length: > 0 } id ? id : null;

    private static string Unbracket(string id) => id.Trim().TrimStart('<').TrimEnd('>');

    private static string Domain(MailboxAddress from)
    {
        var domain = from.Domain;
        return domain.Length > 0 && domain.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-') ? domain.ToLowerInvariant() : "localhost";
    }

    /// <summary>Header values come from labels and templates: no CR or LF may reach the header block.</summary>
    private static string OneLine(string value) => value.ReplaceLineEndings(" ");

    /// <summary>
    /// The message with every label and annotation value (and the other strings a template can print)
    /// HTML-encoded, for the <c>html</c> template: the renderer does not encode, and these values come from outside.
    /// </summary>
    internal static NotificationMessage HtmlEscaped(NotificationMessage message) =>
        message with
        {
            Receiver = WebUtility.HtmlEncode(message.Receiver),
            Alerts = message.Alerts.Select(a => a with
            {
                Labels = Encode(a.Labels),
                Annotations = Encode(a.Annotations),
                Severity = WebUtility.HtmlEncode(a.Severity),
                GeneratorUrl = WebUtility.HtmlEncode(a.GeneratorUrl),
            }).ToList(),
            ExternalUrl = WebUtility.HtmlEncode(message.ExternalUrl),
            EscalationStep = message.EscalationStep is null ? null : WebUtility.HtmlEncode(message.EscalationStep),
        };

    private static LabelSet Encode(LabelSet set) =>
        LabelSet.From(set.Select(p => KeyValuePair.Create(p.Key, WebUtility.HtmlEncode(p.Value))));
}
