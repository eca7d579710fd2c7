using System.Globalization;
using System.Text;

namespace AlertRelay.Core.Notify.Webhook;

/// <summary>Values written the way Alertmanager's Go code writes them: times as <c>time.Time</c> JSON, regexp.QuoteMeta.</summary>
internal static class GoJson
{
    /// <summary>Go's zero <c>time.Time</c>, which Alertmanager sends as the <c>endsAt</c> of a firing alert.</summary>
    public const string ZeroTime = "0001-01-01T00:00:00Z";

    private const string RegexMeta = @"\.+*?()|[]{}^$";

    /// <summary>RFC 3339 in UTC with the fraction's trailing zeros cut (Go's <c>time.RFC3339Nano</c>), e.g. 2026-11-24T22:32:44Z.</summary>
    public static string Time(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFF", CultureInfo.InvariantCulture).TrimEnd('.') + "Z";

    /// <summary>Go's <c>regexp.QuoteMeta</c>: a backslash before each regular expression metacharacter.</summary>
    public static string QuoteMeta(string text)
    {
        if (text.IndexOfAny(RegexMeta.ToCharArray()) < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (RegexMeta.Contains(c, StringComparison.Ordinal))
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
