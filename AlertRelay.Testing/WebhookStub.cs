using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AlertRelay.Testing;

/// <summary>
/// A loopback generic webhook receiver (what Alertmanager's <c>webhook_configs</c> post to): records every request and answers 200,
/// or what the test asks for next (a status with Retry-After, a redirect, no answer at all), or refuses connections while down.
/// </summary>
/// <remarks>Kestrel on 127.0.0.1, the port chosen at start and kept across <see cref="GoDownAsync"/>/<see cref="ComeBackAsync"/>.</remarks>
public sealed class WebhookStub : IAsyncDisposable
{
    public const string Path = "/hook";

    private readonly object _gate = new();
    private readonly List<WebhookStubRequest> _requests = [];
    private readonly Queue<Answer> _next = [];
    private WebApplication? _app;

    private WebhookStub()
    {
    }

    public int Port { get; private set; }

    /// <summary>The URL to configure as <c>url</c>: http://127.0.0.1:port/hook.</summary>
    public string Url => $"http://127.0.0.1:{Port}{Path}";

    /// <summary>Every request received so far, in order, whatever it was answered.</summary>
    public IReadOnlyList<WebhookStubRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>The requests answered 2xx: the messages delivered.</summary>
    public IReadOnlyList<WebhookStubRequest> Delivered => [.. Requests.Where(r => r.Accepted)];

    public static async Task<WebhookStub> StartAsync()
    {
        var stub = new WebhookStub();
        await stub.ListenAsync(0);
        return stub;
    }

    /// <summary>The next <paramref name="count"/> requests are answered <paramref name="status"/>, with <c>Retry-After</c> in seconds when given.</summary>
    public void AnswerNext(HttpStatusCode status, int count = 1, int? retryAfterSeconds = null, string body = "")
    {
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                _next.Enqueue(new Answer((int)status, retryAfterSeconds, body, null, false));
            }
        }
    }

    /// <summary>The next request is answered 307 to <paramref name="path"/> on this stub.</summary>
    public void RedirectNext(string path)
    {
        lock (_gate)
        {
            _next.Enqueue(new Answer(307, null, "", path, false));
        }
    }

    /// <summary>The next request is read and never answered (until the client gives up): a timeout.</summary>
    public void HangNext()
    {
        lock (_gate)
        {
            _next.Enqueue(new Answer(0, null, "", null, true));
        }
    }

    /// <summary>Stops listening: connections are refused until <see cref="ComeBackAsync"/>. Requests are kept.</summary>
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

    /// <summary>Listens again on the same port.</summary>
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
        Answer answer;
        lock (_gate)
        {
            answer = _next.TryDequeue(out var next) ? next : new Answer(200, null, "", null, false);
            _requests.Add(new WebhookStubRequest(
                context.Request.Method, context.Request.Path.Value ?? "", headers, body, TryParse(body), answer.Hang ? 0 : answer.Status)
            {
                ReceivedAt = DateTimeOffset.UtcNow,
            });
        }

        if (answer.Hang)
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

        context.Response.StatusCode = answer.Status;
        if (answer.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (answer.Location is not null)
        {
            context.Response.Headers.Location = answer.Location;
        }

        await context.Response.WriteAsync(answer.Body, context.RequestAborted);
    }

    private static JsonNode? TryParse(string body)
    {
        try
        {
            return JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record Answer(int Status, int? RetryAfterSeconds, string Body, string? Location, bool Hang);
}
