using System.Net;
using System.Net.Sockets;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Notify.Email;
using AlertRelay.Tests.TestData;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Time.Testing;
using static AlertRelay.Tests.Notify.Email.EmailSamples;

namespace AlertRelay.Tests.Notify.Email;

/// <summary>The sender against a real SMTP server in the test process (<see cref="SmtpSink"/>).</summary>
public sealed class EmailSenderTests
{
    private static EmailSender Sender(bool acceptAnyCertificate = false) =>
        new(new FakeTimeProvider(Now), TimeSpan.FromSeconds(new NotifyOptions().SmtpTimeoutSeconds), acceptAnyCertificate);

    private static Task<NotifyResult> SendAsync(
        EmailConfig config, NotificationMessage? message = null, IReadOnlyDictionary<string, object?>? global = null, EmailSender? sender = null) =>
        (sender ?? Sender()).SendAsync(config, global ?? NoGlobal, message ?? Firing(), CancellationToken.None);

    [Fact]
    public async Task SendAsync_DeliversWithTheMessageIdAsReference_WhenTheServerAcceptsTheMail()
    {
        await using var sink = await SmtpSink.StartAsync();

        var result = await SendAsync(Config(sink.Smarthost, to: "oncall@example.com, lead@example.com"));

        var sent = Assert.IsType<NotifyResult.Sent>(result);
        var mail = Assert.Single(sink.Messages);
        Assert.Equal("alertrelay@relay.example.com", mail.EnvelopeFrom);
        Assert.Equal(["oncall@example.com", "lead@example.com"], mail.EnvelopeTo);
        Assert.Equal("[FIRING:1] HighErrorRate critical", mail.Message.Subject);
        Assert.Equal($"<{mail.Message.MessageId}>", sent.Reference?.EmailMessageId);
        Assert.False(mail.Secure);
    }

    [Fact]
    public async Task SendAsync_ThreadsTheResolveUnderTheFiringMail_WhenBothAreDelivered()
    {
        await using var sink = await SmtpSink.StartAsync();
        var config = Config(sink.Smarthost);

        var firing = Assert.IsType<NotifyResult.Sent>(await SendAsync(config, Firing()));
        var resolved = Assert.IsType<NotifyResult.Sent>(await SendAsync(config, Resolved(firing.Reference!.EmailMessageId)));

        Assert.Equal(2, sink.Messages.Count);
        var resolvedMail = sink.Messages[1];
        Assert.Equal(firing.Reference.EmailMessageId, resolvedMail.Message.Headers["In-Reply-To"]);
        Assert.Equal(firing.Reference.EmailMessageId, resolvedMail.Message.Headers["References"]);
        Assert.Equal("Re: [RESOLVED] HighErrorRate critical", resolvedMail.Message.Subject);
        Assert.NotEqual(firing.Reference.EmailMessageId, resolved.Reference?.EmailMessageId);
    }

    [Fact]
    public async Task SendAsync_DeliversAMultipartAlternativeMail_WhenReceivedByARealServer()
    {
        await using var sink = await SmtpSink.StartAsync();

        await SendAsync(Config(sink.Smarthost), Digest(30, 7));

        var mail = Assert.Single(sink.Messages).Message;
        Assert.Equal("multipart/alternative", mail.Body!.ContentType.MimeType);
        Assert.Equal("[FIRING:30, RESOLVED:7] 37 alerts for receiver team-email", mail.Subject);
        Assert.Contains("web-36 is down", mail.TextBody);
        Assert.Contains("web-36 is down", mail.HtmlBody);
    }

    [Fact]
    public async Task SendAsync_UsesGlobalSmtpDefaults_WhenTheEmailConfigLeavesThemEmpty()
    {
        await using var sink = await SmtpSink.StartAsync(new SmtpSinkOptions { Credentials = ("global-user", "global-secret") });
        var global = new Dictionary<string, object?>
        {
            ["smtp_smarthost"] = sink.Smarthost,
            ["smtp_from"] = "alertmanager@global.example.com",
            ["smtp_auth_username"] = "global-user",
            ["smtp_auth_password"] = "global-secret",
            ["smtp_require_tls"] = "false",
        };

        var result = await SendAsync(new EmailConfig { To = "ops@example.com" }, global: global);

        Assert.IsType<NotifyResult.Sent>(result);
        var mail = Assert.Single(sink.Messages);
        Assert.Equal("alertmanager@global.example.com", mail.EnvelopeFrom);
        Assert.Equal("global-user", mail.AuthenticatedUser);
        Assert.EndsWith("@global.example.com", mail.Message.MessageId);
    }

    [Fact]
    public async Task SendAsync_Authenticates_WhenCredentialsAreConfigured()
    {
        await using var sink = await SmtpSink.StartAsync(new SmtpSinkOptions { Credentials = ("relay", "s3cret") });

        var result = await SendAsync(Config(sink.Smarthost) with { AuthUsername = "relay", AuthPassword = "s3cret" });

        Assert.IsType<NotifyResult.Sent>(result);
        Assert.Equal("relay", Assert.Single(sink.Messages).AuthenticatedUser);
    }

    [Fact]
    public async Task SendAsync_ReadsThePasswordFile_WhenAuthPasswordFileIsSet()
    {
        await using var sink = await SmtpSink.StartAsync(new SmtpSinkOptions { Credentials = ("relay", "from-file") });
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, "from-file\n");

            var result = await SendAsync(Config(sink.Smarthost) with { AuthUsername = "relay", AuthPasswordFile = file });

            Assert.IsType<NotifyResult.Sent>(result);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task SendAsync_FailsPermanently_WhenThePasswordFileIsMissing()
    {
        var result = await SendAsync(Config("127.0.0.1:25") with { AuthUsername = "relay", AuthPasswordFile = "/nonexistent/alertrelay-smtp-password" });

        var failed = Assert.IsType<NotifyResult.Failed>(result);
        Assert.Contains("auth_password_file", failed.Reason);
    }

    [Fact]
    public async Task SendAsync_FailsPermanently_WhenTheServerRejectsTheCredentials()
    {
        await using var sink = await SmtpSink.StartAsync(new SmtpSinkOptions { Credentials = ("relay", "s3cret") });

        var result = await SendAsync(Config(sink.Smarthost) with { AuthUsername = "relay", AuthPassword = "wrong" });

        var failed = Assert.IsType<NotifyResult.Failed>(result);
        Assert.Contains("535", failed.Reason);
        Assert.Empty(sink.Messages);
    }

    [Fact]
    public async Task SendAsync_FailsPermanently_WhenTheServerRequiresAuthAndNoneIsConfigured()
    {
        await using var sink = await SmtpSink.StartAsync(new SmtpSinkOptions { Credentials = ("relay", "s3cret") });

        var result = await SendAsync(Config(sink.Smarthost));

        Assert.IsType<NotifyResult.Failed>(result);
        Assert.Empty(sink.Messages);
    }

    [Fact]
    public async Task SendAsync_RetriesLater_WhenTheServerAnswers451()
    {
        await using var sink = await SmtpSink.StartAsync();
        sink.RejectNext(1, 451);

        var first = await SendAsync(Config(sink.Smarthost));
        var second = await SendAsync(Config(sink.Smarthost));

        var retry = Assert.IsType<NotifyResult.Retry>(first);
        Assert.Contains("451", retry.Reason);
        Assert.IsType<NotifyResult.Sent>(second);
        Assert.Equal(1, sink.Rejected);
        Assert.Single(sink.Messages);
    }

    [Fact]
    public async Task SendAsync_FailsPermanently_WhenTheServerAnswers550()
    {
        await using var sink = await SmtpSink.StartAsync();
        sink.RejectNext(1, 550);

        var result = await SendAsync(Config(sink.Smarthost));

        var failed = Assert.IsType<NotifyResult.Failed>(result);
        Assert.Contains("550", failed.Reason);
    }

    [Fact]
    public async Task SendAsync_RetriesThenDelivers_WhenTheServerIsDownThenBack()
    {
        await using var sink = await SmtpSink.StartAsync();
        var config = Config(sink.Smarthost);
        await sink.StopAsync();

        var whileDown = await SendAsync(config);
        await sink.StartAgainAsync();
        var afterRestart = await SendAsync(config);

        var retry = Assert.IsType<NotifyResult.Retry>(whileDown);
        Assert.Contains("connection refused", retry.Reason);
        Assert.IsType<NotifyResult.Sent>(afterRestart);
        Assert.Single(sink.Messages);
    }

    [Fact]
    public async Task SendAsync_RetriesLater_WhenTheServerNeverAnswers()
    {
        // Accepts the connection but never sends the 220 greeting.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var sender = new EmailSender(TimeProvider.System, TimeSpan.FromMilliseconds(500));

        var result = await SendAsync(Config($"127.0.0.1:{port}"), sender: sender);

        Assert.IsType<NotifyResult.Retry>(result);
    }

    [Fact]
    public async Task SendAsync_FailsPermanently_WhenTlsIsRequiredButStartTlsIsNotOffered()
    {
        await using var sink = await SmtpSink.StartAsync();

        var result = await SendAsync(Config(sink.Smarthost) with { RequireTls = null });

        var failed = Assert.IsType<NotifyResult.Failed>(result);
        Assert.Contains("STARTTLS", failed.Reason);
        Assert.Empty(sink.Messages);
    }

    [Fact]
    public async Task SendAsync_UsesStartTls_WhenTlsIsRequiredAndOffered()
    {
        using var certificate = SmtpSinkCertificate.Create();
        await using var sink = await SmtpSink.StartAsync(new SmtpSinkOptions { Certificate = certificate, Credentials = ("relay", "s3cret") });

        var result = await SendAsync(
            Config(sink.Smarthost) with { RequireTls = true, AuthUsername = "relay", AuthPassword = "s3cret" },
            sender: Sender(acceptAnyCertificate: true));

        Assert.IsType<NotifyResult.Sent>(result);
        var mail = Assert.Single(sink.Messages);
        Assert.True(mail.Secure);
        Assert.Equal("relay", mail.AuthenticatedUser);
    }

    [Fact]
    public async Task SendAsync_FailsPermanently_WhenTheServerCertificateIsNotTrusted()
    {
        using var certificate = SmtpSinkCertificate.Create();
        await using var sink = await SmtpSink.StartAsync(new SmtpSinkOptions { Certificate = certificate });

        var result = await SendAsync(Config(sink.Smarthost) with { RequireTls = true });

        var failed = Assert.IsType<NotifyResult.Failed>(result);
        Assert.Contains("TLS", failed.Reason);
        Assert.Empty(sink.Messages);
    }

    [Fact]
    public async Task SendAsync_SendsPlain_WhenRequireTlsIsFalseEvenIfStartTlsIsOffered()
    {
        using var certificate = SmtpSinkCertificate.Create();
        await using var sink = await SmtpSink.StartAsync(new SmtpSinkOptions { Certificate = certificate });

        var result = await SendAsync(Config(sink.Smarthost) with { RequireTls = false });

        Assert.IsType<NotifyResult.Sent>(result);
        Assert.False(Assert.Single(sink.Messages).Secure);
    }

    [Fact]
    public async Task SendAsync_FailsPermanentlyWithoutConnecting_WhenNoSmarthostIsConfigured()
    {
        var result = await SendAsync(new EmailConfig { To = "ops@example.com", From = "a@example.com" });

        var failed = Assert.IsType<NotifyResult.Failed>(result);
        Assert.Contains("no smarthost", failed.Reason);
    }

    [Fact]
    public async Task SendAsync_Throws_WhenTheCallerCancels()
    {
        await using var sink = await SmtpSink.StartAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Sender().SendAsync(Config(sink.Smarthost), NoGlobal, Firing(), cancelled.Token));
    }

    [Theory]
    [InlineData(465, true, SecureSocketOptions.SslOnConnect)]
    [InlineData(465, false, SecureSocketOptions.SslOnConnect)]
    [InlineData(587, true, SecureSocketOptions.StartTls)]
    [InlineData(25, false, SecureSocketOptions.None)]
    public void SocketOptions_FollowsAlertmanager_WhenChoosingTheTransport(int port, bool requireTls, SecureSocketOptions expected)
    {
        Assert.True(EmailSettings.TryResolve(Config($"smtp.example.com:{port}") with { RequireTls = requireTls }, NoGlobal, out var settings, out _));

        Assert.Equal(expected, EmailSender.SocketOptions(settings!));
    }

    public static TheoryData<string, Exception, bool> Exceptions => new()
    {
        { "connection refused", new SocketException((int)SocketError.ConnectionRefused), true },
        { "host not found", new SocketException((int)SocketError.HostNotFound), true },
        { "timeout", new TimeoutException(), true },
        { "connection reset", new IOException("reset", new SocketException((int)SocketError.ConnectionReset)), true },
        { "421 service not available", new SmtpCommandException(SmtpErrorCode.UnexpectedStatusCode, SmtpStatusCode.ServiceNotAvailable, "closing"), true },
        { "451 local error", new SmtpCommandException(SmtpErrorCode.MessageNotAccepted, SmtpStatusCode.ErrorInProcessing, "try later"), true },
        { "452 insufficient storage", new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.InsufficientStorage, "full"), true },
        { "454 temporary auth failure", new AuthenticationException("454: 4.7.0 Temporary authentication failure"), true },
        { "unexpected disconnect", new SmtpProtocolException("The SMTP server has unexpectedly disconnected."), true },
        { "550 mailbox unavailable", new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxUnavailable, "no such user"), false },
        { "554 transaction failed", new SmtpCommandException(SmtpErrorCode.MessageNotAccepted, SmtpStatusCode.TransactionFailed, "spam"), false },
        { "535 bad credentials", new AuthenticationException("535: 5.7.8 Authentication credentials invalid"), false },
        { "STARTTLS not offered", new NotSupportedException("The SMTP server does not support the STARTTLS extension."), false },
        { "certificate not trusted", new SslHandshakeException("An error occurred while attempting to establish an SSL or TLS connection."), false },
    };

    [Theory]
    [MemberData(nameof(Exceptions))]
    public void Classify_RetriesTransientAndFailsPermanentErrors_WhenGivenEachDeliveryError(string name, Exception exception, bool retry)
    {
        _ = name;
        var result = EmailSender.Classify(exception, "smtp.example.com:25");

        Assert.NotNull(result);
        Assert.Equal(retry, result is NotifyResult.Retry);
        Assert.Equal(!retry, result is NotifyResult.Failed);
    }

    [Fact]
    public void Classify_ReturnsNull_WhenTheExceptionIsABug()
    {
        Assert.Null(EmailSender.Classify(new NullReferenceException(), "smtp.example.com:25"));
    }
}
