using System.Net.Http.Headers;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;

namespace AlertRelay.Tests.Api;

/// <summary>The real host (Program) on a fresh SQLite file, with tokens set unless told otherwise.</summary>
public sealed class AlertRelayApp : WebApplicationFactory<Program>
{
    public const string WebhookToken = "s3cret-token"; // what the captured Alertmanager sent
    public const string ReadToken = "read-token";

    private readonly Dictionary<string, string?> _settings;

    public AlertRelayApp(Dictionary<string, string?>? settings = null, bool withTokens = true)
    {
        Directory = Path.Combine(Path.GetTempPath(), "alertrelay-tests", Guid.NewGuid().ToString("N"));
        DatabasePath = Path.Combine(Directory, "data", "alertrelay.db");
        _settings = new Dictionary<string, string?>
        {
            ["AlertRelay:Database:Path"] = DatabasePath,
            ["AlertRelay:Database:Synchronous"] = "NORMAL",
            ["AlertRelay:Auth:WebhookToken"] = withTokens ? WebhookToken : "",
            ["AlertRelay:Auth:ReadToken"] = withTokens ? ReadToken : "",
            // A webhook that finds the inbox empty is answered 200 once applied; on a loaded test machine that can take more
            // than the default second (a 10,000-alert body), so the tests' hosts wait longer. 202 is tested with 0.
            ["AlertRelay:Ingest:ApplyWaitMilliseconds"] = "10000",
        };
        foreach (var (key, value) in settings ?? [])
        {
            _settings[key] = value;
        }
    }

    public string Directory { get; }

    public string DatabasePath { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(_settings));
    }

    /// <summary>
    /// Serves the app on a real Kestrel socket (127.0.0.1, a free port) instead of the in-memory test server,
    /// for clients outside this process such as a real Alertmanager. Returns the base URL. A <paramref name="port"/> chosen
    /// beforehand lets a peer be configured with the URL before the app starts (each needs the other's address).
    /// </summary>
    public string StartOnLoopback(int port = 0)
    {
        UseKestrel(options => options.Listen(IPAddress.Loopback, port));
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        return addresses.Single().TrimEnd('/');
    }

    /// <summary>A client that sends the webhook token, as Alertmanager's http_config.authorization does.</summary>
    public HttpClient WebhookClient() => ClientWith(WebhookToken);

    /// <summary>Waits until the writer has applied every webhook the host accepted (its inbox is empty): after 202 answers.</summary>
    public Task InboxAppliedAsync() =>
        Eventually.UntilAsync(() => Services.GetRequiredService<AlertRelay.Core.Ingest.InboxHandoff>().NothingWaitingHere,
            TimeSpan.FromSeconds(30), "the inbox applied");

    /// <summary>A client that sends the read token.</summary>
    public HttpClient ReaderClient() => ClientWith(ReadToken);

    public HttpClient ClientWith(string? token)
    {
        var client = CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
