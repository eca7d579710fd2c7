using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using MimeKit;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.ComponentModel;
using SmtpServer.IO;
using SmtpServer.Mail;
using SmtpServer.Net;
using SmtpServer.Protocol;
using SmtpServer.Storage;
// MailKit/MimeKit have their own SmtpResponse: name the server's explicitly.
using ServerResponse = SmtpServer.Protocol.SmtpResponse;

namespace AlertRelay.Testing;

/// <summary>
/// A real SMTP server (the SmtpServer package) in the test process on 127.0.0.1 and a free port: records what it
/// accepts, can reject the next messages with a chosen reply (451, 550 ...), require AUTH, offer STARTTLS, and be
/// stopped (connections refused) and started again on the same port. Each message carries when it arrived and when its
/// session reached each command (<see cref="System.Diagnostics.Stopwatch"/> timestamps), for the benchmark's latencies.
/// </summary>
/// <example>
/// <code>
/// await using var sink = await SmtpSink.StartAsync();
/// var config = new EmailConfig { To = "ops@example.com", From = "relay@example.com", Smarthost = sink.Smarthost, RequireTls = false };
/// sink.RejectNext(1, 451);               // the next DATA gets "451 ..."
/// await sink.StopAsync();                // connection refused from now on
/// await sink.StartAgainAsync();          // same port, same recorded messages
/// </code>
/// </example>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly SmtpSinkOptions _options;
    private readonly ConcurrentQueue<SmtpSinkMessage> _messages = new();
    private readonly Lock _gate = new();
    private int _rejectRemaining;
    private int _rejectCode;
    private string _rejectText = "";
    private int _rejected;
    private SmtpServer.SmtpServer? _server;
    private Task? _running;

    private SmtpSink(SmtpSinkOptions options, int port)
    {
        _options = options;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The value for <c>smarthost</c>: "127.0.0.1:port".</summary>
    public string Smarthost => $"127.0.0.1:{Port}";

    /// <summary>Accepted messages, in order; a message is here before the client sees "250" for its DATA.</summary>
    public IReadOnlyList<SmtpSinkMessage> Messages => _messages.ToArray();

    /// <summary>How many messages were refused by <see cref="RejectNext"/>.</summary>
    public int Rejected => Volatile.Read(ref _rejected);

    public bool IsRunning => _server is not null;

    /// <summary>Starts a sink on a free port; it is listening when the task completes.</summary>
    public static async Task<SmtpSink> StartAsync(SmtpSinkOptions? options = null)
    {
        var sink = new SmtpSink(options ?? new SmtpSinkOptions(), FreePort.Get());
        await sink.StartAgainAsync();
        return sink;
    }

    /// <summary>Answers the next <paramref name="count"/> messages' DATA with <paramref name="code"/> instead of storing them.</summary>
    public void RejectNext(int count, int code = 451, string? text = null)
    {
        lock (_gate)
        {
            _rejectRemaining = count;
            _rejectCode = code;
            _rejectText = text ?? (code >= 500 ? "Requested action not taken: mailbox unavailable" : "Requested action aborted: local error in processing");
        }
    }

    /// <summary>Stops listening (new connections are refused) and waits for running sessions to end.</summary>
    public async Task StopAsync()
    {
        var server = _server;
        var running = _running;
        if (server is null || running is null)
        {
            return;
        }

        server.Shutdown();
        await server.ShutdownTask.WaitAsync(TimeSpan.FromSeconds(10));
        await running.WaitAsync(TimeSpan.FromSeconds(10));
        _server = null;
        _running = null;
    }

    /// <summary>Starts listening on <see cref="Port"/> again after <see cref="StopAsync"/>, keeping the recorded messages.</summary>
    public async Task StartAgainAsync()
    {
        if (_server is not null)
        {
            return;
        }

        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var listeners = new NoDelayListenerFactory(listening);

        var services = new ServiceProvider();
        services.Add(listeners);
        services.Add(new Store(this));
        if (_options.Credentials is { } credentials)
        {
            services.Add(new DelegatingUserAuthenticator((user, password) => user == credentials.User && password == credentials.Password));
        }

        var serverOptions = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(endpoint =>
            {
                endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, Port));
                if (_options.Credentials is not null)
                {
                    endpoint.AuthenticationRequired(true).AllowUnsecureAuthentication(true);
                }

                if (_options.Certificate is { } certificate)
                {
                    endpoint.Certificate(certificate);
                }
            })
            .Build();

        var server = new SmtpServer.SmtpServer(serverOptions, services);
        server.SessionCreated += (_, e) => e.Context.CommandExecuting += (_, c) => Step(c.Context, c.Command.Name);
        var running = server.StartAsync(CancellationToken.None);
        var first = await Task.WhenAny(listening.Task, running).WaitAsync(TimeSpan.FromSeconds(10));
        if (first == running)
        {
            await running; // failed to bind: throw its exception
            throw new InvalidOperationException($"SMTP sink on port {Port} stopped before it listened");
        }

        _server = server;
        _running = running;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private bool TryTakeRejection(out ServerResponse response)
    {
        lock (_gate)
        {
            if (_rejectRemaining > 0)
            {
                _rejectRemaining--;
                Interlocked.Increment(ref _rejected);
                response = new ServerResponse((SmtpReplyCode)_rejectCode, _rejectText);
                return true;
            }
        }

        response = ServerResponse.Ok;
        return false;
    }

    private const string StepsKey = "alertrelay.steps";

    /// <summary>Records when a session reached a step (accepted, or a command read).</summary>
    private static void Step(ISessionContext context, string step)
    {
        var at = Stopwatch.GetTimestamp();
        if (!context.Properties.TryGetValue(StepsKey, out var value))
        {
            context.Properties[StepsKey] = value = new List<(string, long)>();
        }

        ((List<(string, long)>)value).Add((step, at));
    }

    /// <summary>
    /// SmtpServer's own listener leaves Nagle's algorithm on: its two replies to a pipelined MAIL FROM + RCPT TO go out
    /// as two writes, the second held until the client's delayed ACK (40 ms on Linux), which adds ~80 ms to every
    /// MailKit session (measured by the benchmark: 92 ms per delivery against ~5 ms with TCP_NODELAY). A real MTA answers
    /// a pipelined group in one write, so the sink sets TCP_NODELAY on every accepted connection.
    /// </summary>
    private sealed class NoDelayListenerFactory(TaskCompletionSource listening) : IEndpointListenerFactory
    {
        public IEndpointListener CreateListener(IEndpointDefinition endpointDefinition)
        {
            var listener = new TcpListener(endpointDefinition.Endpoint);
            listener.Start();
            listening.TrySetResult();
            return new NoDelayListener(listener);
        }
    }

    private sealed class NoDelayListener(TcpListener listener) : IEndpointListener
    {
        public async Task<ISecurableDuplexPipe> GetPipeAsync(ISessionContext context, CancellationToken cancellationToken)
        {
            var client = await listener.AcceptTcpClientAsync(cancellationToken);
            Step(context, "accept");
            client.NoDelay = true;
            context.Properties.Add(EndpointListener.LocalEndPointKey, client.Client.LocalEndPoint);
            context.Properties.Add(EndpointListener.RemoteEndPointKey, client.Client.RemoteEndPoint);
            return new SecurablePipe(client);
        }

        public void Dispose() => listener.Stop();
    }

    /// <summary>The connection as SmtpServer's pipe (its own implementation is internal), upgraded in place by STARTTLS.</summary>
    private sealed class SecurablePipe(TcpClient client) : ISecurableDuplexPipe
    {
        private Stream _stream = client.GetStream();

        public PipeReader Input { get; private set; } = PipeReader.Create(client.GetStream());

        public PipeWriter Output { get; private set; } = PipeWriter.Create(client.GetStream());

        public bool IsSecure => _stream is SslStream;

        public SslProtocols SslProtocol => (_stream as SslStream)?.SslProtocol ?? SslProtocols.None;

        public async Task UpgradeAsync(X509Certificate certificate, SslProtocols protocols, CancellationToken cancellationToken = default)
        {
            // The client starts the handshake only after "220 Ready to start TLS": nothing is left unread in the plain pipe.
            var ssl = new SslStream(_stream, leaveInnerStreamOpen: true);
            await ssl.AuthenticateAsServerAsync(
                new SslServerAuthenticationOptions { ServerCertificate = certificate, EnabledSslProtocols = protocols }, cancellationToken);
            _stream = ssl;
            Input = PipeReader.Create(ssl);
            Output = PipeWriter.Create(ssl);
        }

        public void Dispose()
        {
            _stream.Dispose();
            client.Dispose();
        }
    }

    private sealed class Store(SmtpSink sink) : MessageStore
    {
        public override Task<ServerResponse> SaveAsync(
            ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            var arrivedAt = Stopwatch.GetTimestamp();
            if (sink.TryTakeRejection(out var rejection))
            {
                return Task.FromResult(rejection);
            }

            var bytes = buffer.ToArray();
            using var stream = new MemoryStream(bytes);
            var message = MimeMessage.Load(stream, cancellationToken);
            sink._messages.Enqueue(new SmtpSinkMessage(
                transaction.From.AsAddress(),
                transaction.To.Select(to => to.AsAddress()).ToArray(),
                message,
                System.Text.Encoding.UTF8.GetString(bytes),
                context.Authentication.IsAuthenticated ? context.Authentication.User : null,
                context.Pipe.IsSecure)
            {
                ArrivedAt = arrivedAt,
                Steps = context.Properties.TryGetValue(StepsKey, out var steps) ? [.. (List<(string, long)>)steps] : [],
            });
            return Task.FromResult(ServerResponse.Ok);
        }
    }
}
