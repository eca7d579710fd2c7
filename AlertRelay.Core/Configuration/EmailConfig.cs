using System.Text;

namespace AlertRelay.Core.Configuration;

/// <summary>One entry of a receiver's <c>email_configs</c>, with Alertmanager's field names; the password is redacted from <see cref="object.ToString"/>.</summary>
public sealed record EmailConfig
{
    /// <summary><c>to</c>: the recipient address(es) (required).</summary>
    public required string To { get; init; }

    /// <summary><c>from</c>: the sender address; <see langword="null"/> means the global <c>smtp_from</c>.</summary>
    public string? From { get; init; }

    /// <summary><c>hello</c>: the name sent with EHLO; <see langword="null"/> means the global <c>smtp_hello</c>.</summary>
    public string? Hello { get; init; }

    /// <summary><c>smarthost</c>: the SMTP server as host:port; <see langword="null"/> means the global <c>smtp_smarthost</c>.</summary>
    public string? Smarthost { get; init; }

    /// <summary><c>require_tls</c>; <see langword="null"/> means the global <c>smtp_require_tls</c> (Alertmanager's default: true).</summary>
    public bool? RequireTls { get; init; }

    /// <summary><c>auth_username</c>.</summary>
    public string? AuthUsername { get; init; }

    /// <summary><c>auth_password</c> (secret).</summary>
    public string? AuthPassword { get; init; }

    /// <summary><c>auth_password_file</c>: a file holding the password.</summary>
    public string? AuthPasswordFile { get; init; }

    /// <summary><c>send_resolved</c>: whether to notify about resolved alerts (Alertmanager's default for email: false).</summary>
    public bool SendResolved { get; init; }

    /// <summary><c>headers</c>: extra mail headers, e.g. <c>Subject</c>.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary><c>html</c>: the HTML body template.</summary>
    public string? Html { get; init; }

    /// <summary><c>text</c>: the plain-text body template.</summary>
    public string? Text { get; init; }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"To = {To}, From = {From}, Hello = {Hello}, Smarthost = {Smarthost}, RequireTls = {RequireTls}, AuthUsername = {AuthUsername}, ");
        builder.Append($"AuthPassword = {(AuthPassword is null ? null : "<secret>")}, AuthPasswordFile = {AuthPasswordFile}, SendResolved = {SendResolved}, ");
        builder.Append($"Headers = [{string.Join(", ", Headers.Keys)}], Html = {Html}, Text = {Text}");
        return true;
    }
}
