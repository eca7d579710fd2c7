using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AlertRelay.Testing;

/// <summary>
/// The plumbing of a contract stub (generic webhook, PagerDuty, Teams): Kestrel on 127.0.0.1, a port chosen at start and kept across
/// <see cref="GoDownAsync"/>/<see cref="ComeBackAsync"/>, and answers the test queues (a status with Retry-After, no answer at all)
/// before the stub's own answer.
/// </summary>
internal sealed class LoopbackServer(Func<LoopbackRequest, LoopbackAnswer> answer) : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly Queue<LoopbackAnswer> _next = [];
    private WebApplication? _app;

    public int Port { get; private set; }

    /// <summary>While set, every request gets this answer (an outage that answers), ahead of the queue.</summary>
    public LoopbackAnswer? Always { get; set; }

    public async Task StartAsync() => await ListenAsync(0);

    public void Enqueue(LoopbackAnswer next, int count = 1)
    {
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                _next.Enqueue(next);
            }
        }
    }

    public async Task GoDownAsync()
    {
        var app = _app;
        _app = null;
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    public Task ComeBackAsync() => _app is null ? ListenAsync(Port) : Task.CompletedTask;

    public ValueTask DisposeAsync() => new(GoDownAsync());

    private async Task ListenAsync(int port)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(options => options.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync();
        Port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()).Port;
        _app = app;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var body = await new StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync(context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var request = new LoopbackRequest(context.Request.Method, context.Request.Path.Value ?? "", headers, body);
        LoopbackAnswer reply;
        lock (_gate)
        {
            // The stub's own answer is computed (and recorded) under the lock, so requests are recorded in the order answered.
            reply = answer(request with { Queued = Always ?? (_next.TryDequeue(out var next) ? next : null) });
        }

        if (reply.Hang)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
            }

            return;
        }

        context.Response.StatusCode = reply.Status;
        if (reply.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (reply.Location is not null)
        {
            context.Response.Headers.Location = reply.Location;
        }

        if (reply.Body.Length > 0)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(reply.Body, context.RequestAborted);
        }
    }
}
