using System.Globalization;
using AlertRelay.Core.Configuration;
using MimeKit;

namespace AlertRelay.Core.Notify.Email;

/// <summary>An <c>email_config</c> with Alertmanager's global <c>smtp_*</c> defaults filled in and its addresses parsed, as the notifier uses it.</summary>
/// <remarks>
/// A field left empty in the email_config takes the global value, exactly as Alertmanager's
/// <c>config.go</c> does: <c>smtp_smarthost</c>, <c>smtp_from</c>, <c>smtp_hello</c> (default "localhost"),
/// <c>smtp_auth_username</c>, <c>smtp_auth_password</c>/<c>smtp_auth_password_file</c> (only when the
/// email_config sets neither) and <c>smtp_require_tls</c> (default true). Not a record: the password must
/// not appear in a generated <c>ToString</c>.
/// </remarks>
public sealed class EmailSettings
{
    /// <summary>Alertmanager's default <c>smtp_hello</c>.</summary>
    public const string DefaultHello = "localhost";

    private EmailSettings()
    {
    }

    /// <summary>The smarthost as configured (host:port), for messages.</summary>
    public string Smarthost { get; private init; } = "";

    public string Host { get; private init; } = "";

    public int Port { get; private init; }

    /// <summary>The sender: the <c>From</c> header and the envelope sender (MAIL FROM).</summary>
    public MailboxAddress From { get; private init; } = null!;

    /// <summary>The recipients: the <c>To</c> header and the envelope recipients (RCPT TO).</summary>
    public IReadOnlyList<MailboxAddress> To { get; private init; } = [];

    /// <summary>The name sent with EHLO (<c>smtp_hello</c>).</summary>
    public string Hello { get; private init; } = DefaultHello;

    public bool RequireTls { get; private init; } = true;

    /// <summary>Empty: no authentication.</summary>
    public string AuthUsername { get; private init; } = "";

    public string? AuthPassword { get; private init; }

    public string? AuthPasswordFile { get; private init; }

    /// <summary>Extra headers (values are templates); <c>Subject</c> overrides the default subject.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; private init; } = new Dictionary<string, string>();

    /// <summary>The HTML body template, or <see langword="null"/> for the built-in body.</summary>
    public string? Html { get; private init; }

    /// <summary>The plain-text body template, or <see langword="null"/> for the built-in body.</summary>
    public string? Text { get; private init; }

    /// <summary>Merges <paramref name="config"/> with the <c>global:</c> section; false with a reason naming the missing or bad field.</summary>
    public static bool TryResolve(
        EmailConfig config, IReadOnlyDictionary<string, object?> global, out EmailSettings? settings, out string? error)
    {
        settings = null;

        var smarthost = NonEmpty(config.Smarthost) ?? GlobalString(global, "smtp_smarthost");
        if (smarthost is null)
        {
            error = "email: no smarthost: set smarthost in the email_config or smtp_smarthost in global";
            return false;
        }

        if (!TrySplitHostPort(smarthost, out var host, out var port))
        {
            error = $"email: smarthost \"{smarthost}\": expected host:port";
            return false;
        }

        var fromText = NonEmpty(config.From) ?? GlobalString(global, "smtp_from");
        if (fromText is null)
        {
            error = "email: no from address: set from in the email_config or smtp_from in global";
            return false;
        }

        if (!MailboxAddress.TryParse(fromText, out var from) || string.IsNullOrEmpty(from.Domain))
        {
            error = $"email: from \"{fromText}\": not a valid e-mail address";
            return false;
        }

        if (string.IsNullOrWhiteSpace(config.To))
        {
            error = "email: no to address: set to in the email_config";
            return false;
        }

        if (!InternetAddressList.TryParse(config.To, out var toList) || !toList.Mailboxes.Any())
        {
            error = $"email: to \"{config.To}\": not a valid list of e-mail addresses";
            return false;
        }

        if (config.Headers.Keys.FirstOrDefault(name => !IsHeaderName(name)) is { } badHeader)
        {
            error = $"email: headers: \"{badHeader}\" is not a valid header name";
            return false;
        }

        bool requireTls;
        if (config.RequireTls is { } explicitTls)
        {
            requireTls = explicitTls;
        }
        else if (!TryGlobalBool(global, "smtp_require_tls", defaultValue: true, out requireTls))
        {
            error = $"email: global smtp_require_tls \"{global["smtp_require_tls"]}\": expected true or false";
            return false;
        }

        // Alertmanager takes the global password only when the email_config sets neither password nor file.
        var ownPassword = NonEmpty(config.AuthPassword) is not null || NonEmpty(config.AuthPasswordFile) is not null;
        settings = new EmailSettings
        {
            Smarthost = smarthost,
            Host = host,
            Port = port,
            From = from,
            To = toList.Mailboxes.ToArray(),
            Hello = NonEmpty(config.Hello) ?? GlobalString(global, "smtp_hello") ?? DefaultHello,
            RequireTls = requireTls,
            AuthUsername = NonEmpty(config.AuthUsername) ?? GlobalString(global, "smtp_auth_username") ?? "",
            AuthPassword = ownPassword ? NonEmpty(config.AuthPassword) : GlobalString(global, "smtp_auth_password"),
            AuthPasswordFile = ownPassword ? NonEmpty(config.AuthPasswordFile) : GlobalString(global, "smtp_auth_password_file"),
            Headers = config.Headers,
            Html = config.Html,
            Text = config.Text,
        };
        error = null;
        return true;
    }

    /// <summary>Splits "host:port" (or "[v6-address]:port"); the port must be 1-65535 and both parts present, as Alertmanager requires.</summary>
    internal static bool TrySplitHostPort(string hostPort, out string host, out int port)
    {
        host = "";
        port = 0;
        var colon = hostPort.LastIndexOf(':');
        if (colon <= 0 || colon == hostPort.Length - 1)
        {
            return false;
        }

        var hostPart = hostPort[..colon];
        if (hostPart.StartsWith('[') && hostPart.EndsWith(']'))
        {
            hostPart = hostPart[1..^1];
        }
        else if (hostPart.Contains(':'))
        {
            return false; // an IPv6 address must be bracketed
        }

        if (hostPart.Length == 0 ||
            !int.TryParse(hostPort.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) ||
            port is < 1 or > 65535)
        {
            return false;
        }

        host = hostPart;
        return true;
    }

    /// <summary>RFC 5322 field-name: printable US-ASCII except the colon.</summary>
    private static bool IsHeaderName(string name) => name.Length > 0 && name.All(c => c is >= '!' and <= '~' and not ':');

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string? GlobalString(IReadOnlyDictionary<string, object?> global, string key) =>
        global.TryGetValue(key, out var value) ? NonEmpty(value switch
        {
            string s => s,
            bool b => b ? "true" : "false",
            null => null,
            _ => Convert.ToString(value, CultureInfo.InvariantCulture),
        }) : null;

    private static bool TryGlobalBool(IReadOnlyDictionary<string, object?> global, string key, bool defaultValue, out bool value)
    {
        value = defaultValue;
        var text = GlobalString(global, key);
        return text is null || bool.TryParse(text, out value);
    }
}
