using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AlertRelay.IntegrationTests.Oncall;

/// <summary>A second webhook receiver on loopback that counts Alertmanager's deliveries per alertname (AlertRelay dedups repeats).</summary>
public sealed class WebhookRecorder : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly List<string> _deliveries = [];
    private WebApplication? _app;

    public string Url { get; private set; } = "";

    /// <summary>How many deliveries so far carried a firing alert named <paramref name="alertname"/>.</summary>
    public int Count(string alertname)
    {
        lock (_gate)
        {
            return _deliveries.Count(d => d == alertname);
        }
    }

    public static async Task<WebhookRecorder> StartAsync()
    {
        var recorder = new WebhookRecorder();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(options => options.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(recorder.HandleAsync);
        await app.StartAsync();
        recorder.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
        recorder._app = app;
        return recorder;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = await JsonDocument.ParseAsync(context.Request.Body);
        lock (_gate)
        {
            foreach (var alert in body.RootElement.GetProperty("alerts").EnumerateArray())
            {
                if (alert.GetProperty("status").GetString() == "firing")
                {
                    _deliveries.Add(alert.GetProperty("labels").GetProperty("alertname").GetString()!);
                }
            }
        }

        context.Response.StatusCode = 200;
    }
}
