using System.Net.Sockets;
using AlertRelay.Core.Configuration;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace AlertRelay.Core.Notify.Email;

/// <summary>Sends one notification as an e-mail through the receiver's smarthost and classifies the outcome like Alertmanager's Retrier.</summary>
/// <remarks>
/// <para>Transport, as Alertmanager's email notifier: port 465 is TLS from the first byte; otherwise
/// <c>require_tls: true</c> (the default) needs STARTTLS and fails when the server does not offer it, and
/// <c>require_tls: false</c> talks plain SMTP even when STARTTLS is offered. Credentials are used when a
/// username is set and the server advertises AUTH (Alertmanager skips AUTH when it is not advertised).</para>
/// <para>One attempt per call, never a retry here: the outbox owns retries. Transient -> <see cref="NotifyResult.Retry"/>:
/// connection refused or reset, DNS, timeouts, SMTP 4xx (421 service not available, 451, 452, 454).
/// Permanent -> <see cref="NotifyResult.Failed"/>: SMTP 5xx (550 mailbox unavailable, 535 bad credentials,
/// 530 authentication required), STARTTLS required but not offered, an untrusted certificate, a missing
/// smarthost/from/to or unreadable password file: retrying would fail the same way until someone changes the
/// configuration or the server. Cancellation by the caller propagates; anything else unexpected is a bug and is thrown.</para>
/// </remarks>
public sealed class EmailSender
{
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _timeout;
    private readonly bool _acceptAnyServerCertificate;

    /// <param name="timeProvider">The clock of the Date header and of <paramref name="timeout"/>.</param>
    /// <param name="timeout">The most one send may take, connect to QUIT; past it the attempt is retried later. Also MailKit's per-read/write timeout.</param>
    /// <param name="acceptAnyServerCertificate">Accept any TLS certificate (self-signed test servers). Never in production.</param>
    public EmailSender(TimeProvider timeProvider, TimeSpan timeout, bool acceptAnyServerCertificate = false)
    {
        _timeProvider = timeProvider;
        _timeout = timeout;
        _acceptAnyServerCertificate = acceptAnyServerCertificate;
    }

    /// <summary>Sends <paramref name="message"/> to <paramref name="config"/>'s recipients, using <paramref name="global"/>'s <c>smtp_*</c> values as defaults.</summary>
    public Task<NotifyResult> SendAsync(
        EmailConfig config, IReadOnlyDictionary<string, object?> global, NotificationMessage message, CancellationToken cancellationToken) =>
        SendAsync(config, global, message, null, cancellationToken);

    /// <summary>As above, with the signed on-call links the message carries (<see cref="EmailLinks.For"/>).</summary>
    public async Task<NotifyResult> SendAsync(
        EmailConfig config, IReadOnlyDictionary<string, object?> global, NotificationMessage message, EmailLinks? links, CancellationToken cancellationToken)
    {
        if (!EmailSettings.TryResolve(config, global, out var settings, out var error))
        {
            return NotifyResult.Permanent(error!);
        }

        string? password = null;
        if (settings!.AuthUsername.Length > 0 && !TryReadPassword(settings, out password, out error))
        {
            return NotifyResult.Permanent(error!);
        }

        var mime = EmailMessageBuilder.Build(message, settings, _timeProvider.GetUtcNow(), links);
        var messageId = $"<{mime.MessageId}>";

        using var timeout = new CancellationTokenSource(_timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var client = new SmtpClient
        {
            Timeout = (int)Math.Clamp(_timeout.TotalMilliseconds, 1, int.MaxValue),
            LocalDomain = settings.Hello,
        };
        if (_acceptAnyServerCertificate)
        {
            client.ServerCertificateValidationCallback = static (_, _, _, _) => true;
            client.CheckCertificateRevocation = false;
        }

        try
        {
            // Nagle's algorithm would hold the tail of every message over 4 KiB until the server's delayed ACK (~40 ms a mail):
            // connect the socket ourselves with NoDelay and hand it to MailKit.
            // MailKit owns the socket once connected (the client disposes it).
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(settings.Host, settings.Port, linked.Token);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            await client.ConnectAsync(socket, settings.Host, settings.Port, SocketOptions(settings), linked.Token);
            if (settings.AuthUsername.Length > 0 && client.Capabilities.HasFlag(SmtpCapabilities.Authentication))
            {
                await client.AuthenticateAsync(settings.AuthUsername, password ?? "", linked.Token);
            }

            await client.SendAsync(mime, settings.From, settings.To, linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return NotifyResult.RetryLater($"{settings.Smarthost}: no answer within {PrometheusDuration.Format(_timeout)}");
        }
        catch (Exception ex) when (Classify(ex, settings.Smarthost) is { } result)
        {
            return result;
        }

        // The server took the message: a failing QUIT must not make the outbox send it a second time.
        try
        {
            await client.DisconnectAsync(quit: true, linked.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or MailKit.ProtocolException or SmtpCommandException)
        {
        }

        return NotifyResult.Delivered(new DeliveryRef(EmailMessageId: messageId));
    }

    /// <summary>
    /// Port 465: TLS on connect; otherwise STARTTLS when TLS is required (MailKit fails when it is not offered);
    /// otherwise plain, even if STARTTLS is offered, as Alertmanager does with <c>require_tls: false</c>.
    /// </summary>
    internal static SecureSocketOptions SocketOptions(EmailSettings settings) =>
        settings.Port == 465 ? SecureSocketOptions.SslOnConnect
        : settings.RequireTls ? SecureSocketOptions.StartTls
        : SecureSocketOptions.None;

    /// <summary>Retry or failed for an exception from connecting, authenticating or sending; <see langword="null"/> for one that is not a delivery failure (a bug).</summary>
    internal static NotifyResult? Classify(Exception exception, string smarthost) => exception switch
    {
        SmtpCommandException smtp when (int)smtp.StatusCode is >= 500 and < 600 =>
            NotifyResult.Permanent($"{smarthost}: SMTP {(int)smtp.StatusCode} {smtp.Message}"),
        SmtpCommandException smtp => NotifyResult.RetryLater($"{smarthost}: SMTP {(int)smtp.StatusCode} {smtp.Message}"),

        // MailKit puts the reply code first ("535: 5.7.8 ..."); 454 is a temporary authentication failure. (SaslException is one too.)
        AuthenticationException auth when auth.Message.StartsWith('4') =>
            NotifyResult.RetryLater($"{smarthost}: authentication failed: {auth.Message}"),
        AuthenticationException auth => NotifyResult.Permanent($"{smarthost}: authentication failed: {auth.Message}"),
        ServiceNotAuthenticatedException => NotifyResult.Permanent($"{smarthost}: the server requires authentication (set auth_username and auth_password)"),

        // A handshake cut short by the network is transient; a certificate that does not validate is not.
        SslHandshakeException tls when tls.InnerException is IOException or SocketException =>
            NotifyResult.RetryLater($"{smarthost}: TLS handshake interrupted: {tls.InnerException.Message}"),
        SslHandshakeException tls => NotifyResult.Permanent($"{smarthost}: TLS handshake failed: {Flatten(tls.Message)}"),

        // StartTls on a server without STARTTLS, or SMTPUTF8/8BITMIME that the message needs and the server lacks.
        NotSupportedException unsupported => NotifyResult.Permanent($"{smarthost}: {unsupported.Message}" +
            (unsupported.Message.Contains("STARTTLS", StringComparison.OrdinalIgnoreCase) ? " (require_tls is true; set require_tls: false for a server without TLS)" : "")),

        SocketException socket => NotifyResult.RetryLater($"{smarthost}: {SocketText(socket)}"),
        TimeoutException => NotifyResult.RetryLater($"{smarthost}: timed out"),
        SmtpProtocolException protocol => NotifyResult.RetryLater($"{smarthost}: {protocol.Message}"),
        ServiceNotConnectedException notConnected => NotifyResult.RetryLater($"{smarthost}: {notConnected.Message}"),
        IOException io => NotifyResult.RetryLater($"{smarthost}: {(io.InnerException is SocketException inner ? SocketText(inner) : io.Message)}"),
        _ => null,
    };

    private static string SocketText(SocketException socket) =>
        $"{socket.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => "connection refused",
            SocketError.TimedOut => "connection timed out",
            SocketError.HostNotFound or SocketError.NoData => "host not found",
            SocketError.TryAgain => "host name lookup failed, try again",
            SocketError.ConnectionReset => "connection reset",
            _ => socket.SocketErrorCode.ToString(),
        }} ({socket.Message})";

    /// <summary>MailKit's multi-line, bulleted explanation (why the certificate was rejected) on one line.</summary>
    private static string Flatten(string text) =>
        string.Join(' ', text.Split('\n').Select(line => line.Trim().TrimStart('\u2022').Trim()).Where(line => line.Length > 0));

    /// <summary>The password from <c>auth_password</c>, or read now from <c>auth_password_file</c> (so a rotated secret is picked up); one trailing newline is dropped.</summary>
    private static bool TryReadPassword(EmailSettings settings, out string? password, out string? error)
    {
        error = null;
        password = settings.AuthPassword;
        if (password is not null || settings.AuthPasswordFile is null)
        {
            return true;
        }

        try
        {
            password = File.ReadAllText(settings.AuthPasswordFile).TrimEnd('\n').TrimEnd('\r');
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error = $"email: auth_password_file \"{settings.AuthPasswordFile}\": {ex.Message}";
            return false;
        }
    }
}
