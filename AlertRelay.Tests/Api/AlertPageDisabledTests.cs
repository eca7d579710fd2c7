using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AlertRelay.Core.Oncall;
using AlertRelay.Tests.TestData;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Hosting;

namespace AlertRelay.Tests.Api;

/// <summary>The host with links off, or with a bad links setting.</summary>
public sealed class AlertPageDisabledTests
{
    [Theory]
    [InlineData("AlertRelay:Links:Secret", PublicUrlOnly)]
    [InlineData("AlertRelay:PublicUrl", SecretOnly)]
    public async Task GetAndPost_Answer404_AndNoLinksAreMade_WhenASettingIsMissing(string missing, string configured)
    {
        using var app = new AlertRelayApp(configured == PublicUrlOnly
            ? new() { ["AlertRelay:PublicUrl"] = "https://relay.example.com" }
            : new() { ["AlertRelay:Links:Secret"] = "test-links-secret-of-at-least-32-bytes!" });
        var client = app.CreateClient();

        var get = await client.GetAsync("/alerts/1?action=view&exp=1&sig=x");
        var post = await client.PostAsync("/alerts/1", new FormUrlEncodedContent(new Dictionary<string, string> { ["action"] = "acknowledge" }));

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (get.StatusCode, post.StatusCode));
        Assert.Same(NoAlertLinks.Instance, app.Services.GetRequiredService<IAlertLinks>());
        Assert.Contains(missing, app.Services.GetRequiredService<IOptions<AlertLinksOptions>>().Value.DisabledReason());
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 0)]
    public void Start_WarnsOnceThatLinksAreOff_WhenASettingIsMissing(bool configured, int warnings)
    {
        var logs = new FakeLogCollector();
        using var app = new AlertRelayApp(configured
            ? new() { ["AlertRelay:Links:Secret"] = "test-links-secret-of-at-least-32-bytes!", ["AlertRelay:PublicUrl"] = "https://relay.example.com" }
            : []);
        using var host = app.WithWebHostBuilder(builder => builder.ConfigureLogging(logging => logging.AddProvider(new FakeLoggerProvider(logs))));

        _ = host.Services;

        Assert.Equal(warnings, logs.GetSnapshot().Count(r => r.Level == LogLevel.Warning && r.Message.StartsWith("signed alert links are off", StringComparison.Ordinal)));
    }

    private const string PublicUrlOnly = "public-url-only";
    private const string SecretOnly = "secret-only";

    [Fact]
    public void Start_FailsNamingTheSetting_WhenTheSecretIsShorterThan32Bytes()
    {
        using var app = new AlertRelayApp(new() { ["AlertRelay:Links:Secret"] = "too-short", ["AlertRelay:PublicUrl"] = "https://relay.example.com" });

        var error = Assert.ThrowsAny<OptionsValidationException>(() => app.Services);

        Assert.Contains("AlertRelay:Links:Secret must be at least 32 bytes (it has 9)", error.Message);
    }
}
