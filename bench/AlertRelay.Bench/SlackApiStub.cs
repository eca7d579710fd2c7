using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AlertRelay.Bench;

/// <summary>
/// A loopback Slack Web API for the notify scenario: Kestrel on 127.0.0.1 and a free port, answering every
/// <c>chat.postMessage</c> (and <c>chat.update</c>) with <c>{"ok":true,"channel":...,"ts":...}</c> at once, and recording
/// when each request arrived (a <see cref="Stopwatch"/> timestamp taken before its body is read) and its body.
/// </summary>
public sealed class SlackApiStub : IAsyncDisposable
{
    public const string Token = "xoxb-bench-token";
    public const string ChannelId = "C0BENCH";

    private static readonly byte[] Unauthorized = """{"ok":false,"error":"invalid_auth"}"""u8.ToArray();

    private readonly ConcurrentQueue<StubArrival> _arrivals = new();
    private readonly WebApplication _app;
    private long _ts;

    private SlackApiStub(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    /// <summary>What <c>api_base_url</c> takes.</summary>
    public string BaseUrl => $"http://127.0.0.1:{Port}/api/";

    /// <summary>Every request answered so far, in arrival order.</summary>
    public IReadOnlyList<StubArrival> Arrivals => [.. _arrivals];

    public int Count => _arrivals.Count;

    public static async Task<SlackApiStub> StartAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(options => options.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        SlackApiStub? stub = null;
        app.Run(context => stub!.HandleAsync(context));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        stub = new SlackApiStub(app, new Uri(address).Port);
        return stub;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var arrived = Stopwatch.GetTimestamp();
        var body = await new StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync(context.RequestAborted);
        context.Response.ContentType = "application/json; charset=utf-8";
        if (context.Request.Headers.Authorization.ToString() != "Bearer " + Token)
        {
            await context.Response.Body.WriteAsync(Unauthorized, context.RequestAborted);
            return;
        }

        _arrivals.Enqueue(new StubArrival(arrived, context.Request.Path.Value ?? "", body));
        var ts = Interlocked.Increment(ref _ts);
        var answer = string.Create(CultureInfo.InvariantCulture, $$"""{"ok":true,"channel":"{{ChannelId}}","ts":"1700000000.{{ts:D6}}"}""");
        await context.Response.WriteAsync(answer, context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One message a stub received: when (a <see cref="Stopwatch"/> timestamp), where, and its raw content.</summary>
public sealed record StubArrival(long Timestamp, string Path, string Content)
{
    /// <summary>SMTP only: when the session was accepted and each command was read, before this end of DATA.</summary>
    public IReadOnlyList<(string Step, long Timestamp)> Steps { get; init; } = [];
}
