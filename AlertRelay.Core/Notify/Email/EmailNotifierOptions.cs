namespace AlertRelay.Core.Notify.Email;

/// <summary>How <see cref="EmailNotifier"/> talks to SMTP servers: the per-send time limit and, for tests only, certificate checking.</summary>
public sealed class EmailNotifierOptions
{
    /// <summary>The most one send may take, connect to QUIT; past it the attempt is retried later. Also MailKit's per-read/write timeout.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Accept any TLS certificate (self-signed test servers). Never in production; default false.</summary>
    public bool AcceptAnyServerCertificate { get; set; }
}
