using System.Net;
using System.Net.Sockets;
using AlertRelay.Core.Oncall;
using Microsoft.Extensions.DependencyInjection;

namespace AlertRelay.Tests.Oncall;

/// <summary>The API v2 client over several URLs: what moves on to the next one, and what is the answer.</summary>
public sealed class AlertmanagerClientTests : IAsyncLifetime
{
    private readonly ServiceProvider _services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
    private AlertmanagerStub _alertmanager = null!;

    public async Task InitializeAsync() => _alertmanager = await AlertmanagerStub.StartAsync();

    public async Task DisposeAsync()
    {
        await _alertmanager.DisposeAsync();
        await _services.DisposeAsync();
    }

    private AlertmanagerClient Client(double timeoutSeconds, params string[] urls) =>
        new(_services.GetRequiredService<IHttpClientFactory>(),
            Microsoft.Extensions.Options.Options.Create(new AlertmanagerOptions { Urls = [.. urls], TimeoutSeconds = timeoutSeconds }));

    private static SilenceSpec Spec() =>
        new([new SilenceMatcher("alertname", "DiskFull")], DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddHours(1), "Alice", "test");

    [Fact]
    public async Task CreateSilenceAsync_TriesTheNextUrl_WhenOneAcceptsTheConnectionButNeverAnswers()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0); // accepts (the kernel's backlog), never answers
        silent.Start();
        var silentUrl = $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}";

        var answer = await Client(0.5, silentUrl, _alertmanager.Url).CreateSilenceAsync(Spec(), default);

        Assert.Equal(AlertmanagerAnswerKind.Ok, answer.Kind);
        Assert.Equal(Assert.Single(_alertmanager.Silences).Id, answer.Value);
        Assert.Equal($"{_alertmanager.Url} answered 200", answer.Reason);
    }

    [Fact]
    public async Task CreateSilenceAsync_IsUnreachable_WithEachUrlsReason_WhenNoneAnswers()
    {
        var dead = $"http://127.0.0.1:{FreePort.Get()}";
        _alertmanager.FailAll(500);

        var answer = await Client(5, dead, _alertmanager.Url).CreateSilenceAsync(Spec(), default);

        Assert.Equal(AlertmanagerAnswerKind.Unreachable, answer.Kind);
        Assert.StartsWith($"no Alertmanager answered: {dead}: ", answer.Reason);
        Assert.EndsWith($"; {_alertmanager.Url}: 500 (stub: failing on demand)", answer.Reason);
    }

    [Fact]
    public async Task GetSilenceStateAsync_ReadsTheState_AndIsNotFound_ForAnUnknownSilence()
    {
        var client = Client(5, _alertmanager.Url);
        var id = (await client.CreateSilenceAsync(Spec(), default)).Value!;

        var known = await client.GetSilenceStateAsync(id, default);
        var unknown = await client.GetSilenceStateAsync(Guid.NewGuid().ToString(), default);

        Assert.Equal((AlertmanagerAnswerKind.Ok, "active"), (known.Kind, known.Value));
        Assert.Equal(AlertmanagerAnswerKind.NotFound, unknown.Kind);
    }

    [Fact]
    public async Task ExpireSilenceAsync_ExpiresIt_AndAnUnknownIdIsA500AsIn025()
    {
        var client = Client(5, _alertmanager.Url);
        var id = (await client.CreateSilenceAsync(Spec(), default)).Value!;

        var expired = await client.ExpireSilenceAsync(id, default);
        var unknown = await client.ExpireSilenceAsync(Guid.NewGuid().ToString(), default);

        Assert.Equal(AlertmanagerAnswerKind.Ok, expired.Kind);
        Assert.Equal("expired", (await client.GetSilenceStateAsync(id, default)).Value);
        Assert.Equal(AlertmanagerAnswerKind.Unreachable, unknown.Kind);
        Assert.Contains("500 (silence not found)", unknown.Reason);
    }
}
