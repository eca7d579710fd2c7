using AlertRelay.Core.Notify;
using AlertRelay.Core.Notify.Email;
using AlertRelay.Tests.TestData;
using Microsoft.Extensions.Time.Testing;
using static AlertRelay.Tests.Notify.Email.EmailSamples;

namespace AlertRelay.Tests.Notify.Email;

public sealed class ScratchDump
{
    [Fact]
    public async Task Dump()
    {
        var log = new System.Text.StringBuilder();
        await using var sink = await SmtpSink.StartAsync(new SmtpSinkOptions { Credentials = ("u", "p") });
        var n = new EmailNotifier(new FakeTimeProvider(Now));
        var r = await n.SendAsync(Config(sink.Smarthost), NoGlobal, Firing(), default);
        log.AppendLine($"noauth: {r}");
        r = await n.SendAsync(Config(sink.Smarthost) with { AuthUsername = "u", AuthPassword = "x" }, NoGlobal, Firing(), default);
        log.AppendLine($"badauth: {r}");
        r = await n.SendAsync(Config(sink.Smarthost) with { RequireTls = true }, NoGlobal, Firing(), default);
        log.AppendLine($"notls: {r}");
        sink.RejectNext(1, 451);
        r = await n.SendAsync(Config(sink.Smarthost) with { AuthUsername = "u", AuthPassword = "p" }, NoGlobal, Firing(), default);
        log.AppendLine($"451: {r}");
        r = await n.SendAsync(Config(sink.Smarthost) with { AuthUsername = "u", AuthPassword = "p" }, NoGlobal, Resolved("<alertrelay.41.abc@relay.example.com>"), default);
        log.AppendLine($"ok: {r}");
        await sink.StopAsync();
        r = await n.SendAsync(Config(sink.Smarthost), NoGlobal, Firing(), default);
        log.AppendLine($"down: {r}");
        using var cert = SmtpSinkCertificate.Create();
        await using var tls = await SmtpSink.StartAsync(new SmtpSinkOptions { Certificate = cert });
        r = await n.SendAsync(Config(tls.Smarthost) with { RequireTls = true }, NoGlobal, Firing(), default);
        log.AppendLine($"untrusted: {r}");
        try { using var c = new MailKit.Net.Smtp.SmtpClient(); await c.ConnectAsync("127.0.0.1", tls.Port, MailKit.Security.SecureSocketOptions.StartTls); } catch (Exception ex) { log.AppendLine("FULL: " + ex.GetType() + " " + ex.Message + " INNER " + ex.InnerException?.GetType() + ex.InnerException?.Message); }
        var sw = System.Diagnostics.Stopwatch.StartNew();
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        r = await new EmailNotifier(TimeProvider.System, new EmailNotifierOptions { Timeout = TimeSpan.FromMilliseconds(500) }).SendAsync(Config($"127.0.0.1:{port}"), NoGlobal, Firing(), default);
        log.AppendLine($"silent: {r} in {sw.ElapsedMilliseconds}ms");
        log.AppendLine(sink.Messages[0].Raw);
        File.WriteAllText("/tmp/email-dump.txt", log.ToString());
        File.WriteAllText("/tmp/email-dump.html", sink.Messages[0].Message.HtmlBody);
    }
}
