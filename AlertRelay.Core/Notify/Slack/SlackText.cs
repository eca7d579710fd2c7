using System.Text;

namespace AlertRelay.Core.Notify.Slack;

/// <summary>Slack mrkdwn escaping and limit-safe truncation.</summary>
internal static class SlackText
{
    public const string Ellipsis = "…";

    /// <summary>Escapes the three characters Slack's mrkdwn gives a meaning to (&amp;, &lt;, &gt;); nothing else needs it.</summary>
    public static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal);

    /// <summary>
    /// At most <paramref name="max"/> UTF-16 units, ending with "…" when cut. Never splits a surrogate pair, an
    /// entity such as <c>&amp;amp;</c>, or a <c>&lt;...&gt;</c> link/date token (the cut moves before it).
    /// </summary>
    public static string Truncate(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var cut = Math.Max(0, max - Ellipsis.Length);
        if (cut > 0 && char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        var head = text.AsSpan(0, cut);
        var amp = head.LastIndexOf('&');
        if (amp >= 0 && amp >= cut - 6 && head[amp..].IndexOf(';') < 0)
        {
            cut = amp;
        }

        var open = text.AsSpan(0, cut).LastIndexOf('<');
        if (open >= 0 && text.AsSpan(open, cut - open).IndexOf('>') < 0)
        {
            cut = open;
        }

        return string.Concat(text.AsSpan(0, cut).TrimEnd(), Ellipsis);
    }

    /// <summary>One line (line breaks become spaces), for list entries and fallback text.</summary>
    public static string OneLine(string text)
    {
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (c is '\r' or '\n' or '\t')
            {
                space = builder.Length > 0;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
