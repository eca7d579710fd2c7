using MimeKit;

namespace AlertRelay.Testing;

/// <summary>One message an <see cref="SmtpSink"/> accepted: the envelope, the parsed MIME message and how the session was secured.</summary>
public sealed record SmtpSinkMessage(
    string EnvelopeFrom,
    IReadOnlyList<string> EnvelopeTo,
    MimeMessage Message,
    string Raw,
    string? AuthenticatedUser,
    bool Secure);
