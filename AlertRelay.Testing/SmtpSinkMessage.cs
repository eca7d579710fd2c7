using MimeKit;

namespace AlertRelay.Testing;

/// <summary>One message an <see cref="SmtpSink"/> accepted: the envelope, the parsed MIME message and how the session was secured.</summary>
public sealed record SmtpSinkMessage(
    string EnvelopeFrom,
    IReadOnlyList<string> EnvelopeTo,
    MimeMessage Message,
    string Raw,
    string? AuthenticatedUser,
    bool Secure)
{
    /// <summary>When the end of DATA arrived, before the message was parsed: a <see cref="System.Diagnostics.Stopwatch"/> timestamp.</summary>
    public long ArrivedAt { get; init; }

    /// <summary>When the session was accepted ("accept") and read each command ("EHLO", "MAIL", "RCPT", "DATA"...), in order.</summary>
    public IReadOnlyList<(string Step, long Timestamp)> Steps { get; init; } = [];
}
