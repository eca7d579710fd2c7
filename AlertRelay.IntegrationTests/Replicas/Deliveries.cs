using System.Text.RegularExpressions;

namespace AlertRelay.IntegrationTests.Replicas;

/// <summary>
/// What the Slack stub and the SMTP sink hold, per alert (the tests' alertnames are unique and appear in every message's text
/// and every mail's subject): top-level Slack messages, firing mails and resolved mails.
/// </summary>
public sealed class Deliveries
{
    private Deliveries(Regex alertName, SlackStub slack, SmtpSink smtp)
    {
        Slack = slack.TopLevelMessages.GroupBy(m => Name(alertName, m.Text)).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var mails = smtp.Messages.GroupBy(m => Name(alertName, m.Message.Subject ?? "")).ToList();
        FiringMails = mails.ToDictionary(g => g.Key, g => g.Where(m => m.Message.Subject?.Contains("[FIRING", StringComparison.Ordinal) == true).ToList(), StringComparer.Ordinal);
        ResolvedMails = mails.ToDictionary(g => g.Key, g => g.Where(m => m.Message.Subject?.Contains("[RESOLVED]", StringComparison.Ordinal) == true).ToList(), StringComparer.Ordinal);
    }

    public IReadOnlyDictionary<string, List<SlackStubMessage>> Slack { get; }

    public IReadOnlyDictionary<string, List<SmtpSinkMessage>> FiringMails { get; }

    public IReadOnlyDictionary<string, List<SmtpSinkMessage>> ResolvedMails { get; }

    /// <summary>A snapshot of both channels, by the alertname <paramref name="alertName"/> finds in each message.</summary>
    public static Deliveries Of(Regex alertName, SlackStub slack, SmtpSink smtp) => new(alertName, slack, smtp);

    public IReadOnlyList<SlackStubMessage> SlackFor(string alert) => Slack.GetValueOrDefault(alert) ?? [];

    public IReadOnlyList<SmtpSinkMessage> FiringMailsFor(string alert) => FiringMails.GetValueOrDefault(alert) ?? [];

    public IReadOnlyList<SmtpSinkMessage> ResolvedMailsFor(string alert) => ResolvedMails.GetValueOrDefault(alert) ?? [];

    /// <summary>Alerts of <paramref name="alerts"/> with at least one Slack message and one firing mail.</summary>
    public int Announced(IEnumerable<string> alerts) => alerts.Count(a => SlackFor(a).Count > 0 && FiringMailsFor(a).Count > 0);

    /// <summary>Slack messages and firing mails beyond one per alert of <paramref name="alerts"/>.</summary>
    public (int Slack, int Email) Repeats(IEnumerable<string> alerts)
    {
        var list = alerts.ToList();
        return (list.Sum(a => Math.Max(0, SlackFor(a).Count - 1)), list.Sum(a => Math.Max(0, FiringMailsFor(a).Count - 1)));
    }

    private static string Name(Regex alertName, string text) => alertName.Match(text) is { Success: true } match ? match.Value : text;
}
