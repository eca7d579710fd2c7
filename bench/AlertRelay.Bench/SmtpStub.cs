using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using SmtpServer;
using SmtpServer.ComponentModel;
using SmtpServer.IO;
using SmtpServer.Net;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace AlertRelay.Bench;

/// <summary>
/// An in-process SMTP server for the notify scenario (the SmtpServer package, as AlertRelay.Tests' SmtpSink) on
/// 127.0.0.1 and a free port, plain SMTP, no AUTH. Every message is accepted; its arrival is recorded at the end of
/// DATA (a <see cref="Stopwatch"/> timestamp taken before anything else is done with it) with the raw message.
/// </summary>
public sealed class SmtpStub : IAsyncDisposable
{
    private readonly ConcurrentQueue<StubArrival> _arrivals = new();
    private readonly CancellationTokenSource _stop = new();
    private SmtpServer.SmtpServer? _server;
    private Task? _running;

    private SmtpStub(int port) => Port = port;

    public int Port { get; }

    /// <summary>What <c>smarthost</c> takes.</summary>
    public string Smarthost => $"127.0.0.1:{Port}";

    /// <summary>Every message accepted so far, in arrival order.</summary>
    public IReadOnlyList<StubArrival> Arrivals => [.. _arrivals];

    public int Count => _arrivals.Count;

    public static async Task<SmtpStub> StartAsync()
    {
        var stub = new SmtpStub(FreePort());
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var listeners = new NoDelayListenerFactory(listening);

        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(listeners);
        services.Add(new Store(stub));
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, stub.Port)))
            .Build();

        stub._server = new SmtpServer.SmtpServer(options, services);
        stub._server.SessionCreated += (_, e) => e.Context.CommandExecuting += (_, c) => Step(c.Context, c.Command.Name);
        stub._running = stub._server.StartAsync(stub._stop.Token);
        var first = await Task.WhenAny(listening.Task, stub._running).WaitAsync(TimeSpan.FromSeconds(10));
        if (first == stub._running)
        {
            await stub._running;
            throw new InvalidOperationException($"SMTP stub on port {stub.Port} stopped before it listened");
        }

        return stub;
    }

    private const string StepsKey = "bench.steps";

    /// <summary>Records when a session reached a step (accepted, or a command read), for the per-phase timings of the notify scenario.</summary>
    private static void Step(ISessionContext context, string step)
    {
        var at = Stopwatch.GetTimestamp();
        if (!context.Properties.TryGetValue(StepsKey, out var value))
        {
            context.Properties[StepsKey] = value = new List<(string, long)>();
        }

        ((List<(string, long)>)value).Add((step, at));
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null && _running is not null)
        {
            _server.Shutdown();
            await _stop.CancelAsync();
            try
            {
                await _running.WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
            {
                // Stopping: sessions cut short are of no interest any more.
            }
        }

        _stop.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// SmtpServer's own listener leaves Nagle's algorithm on: its two replies to a pipelined MAIL FROM + RCPT TO go out
    /// as two writes, the second held until the client's delayed ACK (40 ms on Linux), which adds ~80 ms to every
    /// MailKit session (measured: 92 ms per delivery against ~5 ms with a NODELAY server). A real MTA answers a
    /// pipelined group in one write, so the stub sets TCP_NODELAY on every accepted connection.
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
            return new PlainPipe(client);
        }

        public void Dispose() => listener.Stop();
    }

    /// <summary>The connection as SmtpServer's pipe (its own implementation is internal); no STARTTLS.</summary>
    private sealed class PlainPipe(TcpClient client) : ISecurableDuplexPipe
    {
        private readonly NetworkStream _stream = client.GetStream();

        public PipeReader Input { get; } = PipeReader.Create(client.GetStream());

        public PipeWriter Output { get; } = PipeWriter.Create(client.GetStream());

        public bool IsSecure => false;

        public SslProtocols SslProtocol => SslProtocols.None;

        public Task UpgradeAsync(X509Certificate certificate, SslProtocols protocols, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("the SMTP stub does not offer STARTTLS");

        public void Dispose()
        {
            _stream.Dispose();
            client.Dispose();
        }
    }

    private sealed class Store(SmtpStub stub) : MessageStore
    {
        public override Task<SmtpResponse> SaveAsync(
            ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            var arrived = Stopwatch.GetTimestamp();
            var steps = context.Properties.TryGetValue(StepsKey, out var value) ? (List<(string, long)>)value : [];
            stub._arrivals.Enqueue(new StubArrival(arrived, "DATA", Encoding.UTF8.GetString(buffer)) { Steps = [.. steps] });
            return Task.FromResult(SmtpResponse.Ok);
        }
    }
}
