using System.Security.Cryptography.X509Certificates;

namespace AlertRelay.Testing;

/// <summary>How an <see cref="SmtpSink"/> behaves: required credentials and an optional certificate for STARTTLS.</summary>
public sealed record SmtpSinkOptions
{
    /// <summary>When set, AUTH (PLAIN/LOGIN, allowed without TLS) is required and only these credentials pass (535 otherwise).</summary>
    public (string User, string Password)? Credentials { get; init; }

    /// <summary>When set, the server offers STARTTLS with this certificate; otherwise it offers no TLS at all.</summary>
    public X509Certificate2? Certificate { get; init; }
}
