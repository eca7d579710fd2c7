using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ECommerce.Tests;

/// <summary>The real shop (Program) on a fresh in-memory database, with an admin token and cheap password hashing.</summary>
public sealed class ShopApp : WebApplicationFactory<Program>
{
    public const string AdminToken = "admin-secret";
    public const string Password = "test-password";

    private readonly Dictionary<string, string?> _settings;
    private readonly TimeProvider? _time;

    public ShopApp(Dictionary<string, string?>? settings = null, TimeProvider? time = null)
    {
        _time = time;
        _settings = new Dictionary<string, string?>
        {
            ["ECommerce:ConnectionString"] = "Data Source=:memory:",
            ["ECommerce:AdminToken"] = AdminToken,
            ["ECommerce:PasswordIterations"] = "1000",
            ["ECommerce:SeedUsers"] = "10",
            ["ECommerce:SeedPassword"] = Password,
            ["ECommerce:RestockIntervalSeconds"] = "0",
        };
        foreach (var (key, value) in settings ?? [])
        {
            _settings[key] = value;
        }
    }

    /// <summary>A shop whose clock is a <see cref="FakeTimeProvider"/> the test moves.</summary>
    public static ShopApp WithFakeTime(out FakeTimeProvider time)
    {
        time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        return new ShopApp(time: time);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(_settings));
        if (_time is not null)
        {
            builder.ConfigureTestServices(services => services.AddSingleton(_time));
        }
    }

    /// <summary>Serves the shop on a real Kestrel socket (127.0.0.1, a free port); returns the base URL.</summary>
    public Uri StartOnLoopback()
    {
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        return new Uri(addresses.Single());
    }

    /// <summary>Logs <paramref name="username"/> in; answers the token.</summary>
    public async Task<string> TokenAsync(string username = "user001")
    {
        var response = await CreateClient().PostAsJsonAsync("/api/auth/login", new { username, password = Password });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    /// <summary>A client logged in as <paramref name="username"/>.</summary>
    public async Task<HttpClient> UserClientAsync(string username = "user001") => ClientWith(await TokenAsync(username));

    /// <summary>A client that sends the admin token.</summary>
    public HttpClient AdminClient() => ClientWith(AdminToken);

    public HttpClient ClientWith(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Scrapes <c>/metrics</c>.</summary>
    public async Task<MetricsScrape> ScrapeAsync() => MetricsScrape.Parse(await CreateClient().GetStringAsync("/metrics"));

    /// <summary>One product as the API shows it.</summary>
    public async Task<JsonElement> ProductAsync(long productId) =>
        await CreateClient().GetFromJsonAsync<JsonElement>($"/api/products/{productId}");
}
