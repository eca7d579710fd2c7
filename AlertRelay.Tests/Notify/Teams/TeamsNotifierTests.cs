using System.Net;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Notify.Teams;
using AlertRelay.Tests.Notify.Webhook;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using static AlertRelay.Tests.Notify.Webhook.WebhookTestAlerts;

namespace AlertRelay.Tests.Notify.Teams;

/// <summary>Cards posted to a loopback Teams Workflows webhook, and how each answer is classified; the signed URL never leaks.</summary>
public sealed class TeamsNotifierTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly NotificationTarget Target = new("oncall", Integrations.MsTeamsV2, 0);

    private readonly WebhookClients _clients = new();
    private readonly FakeLogger<TeamsNotifier> _logger = new();
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "alertrelay-tests", Guid.NewGuid().ToString("N"));
    private TeamsStub _stub = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _stub = await TeamsStub.StartAsync();
    }

    public async Task DisposeAsync()
    {
        _clients.Dispose();
        await _stub.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private MsTeamsV2Config Config => new() { WebhookUrl = _stub.Url };

    private Task<NotifyResult> SendAsync(MsTeamsV2Config? config = null, NotificationMessage? message = null, double timeoutSeconds = 15)
    {
        _logger.ControlLevel(LogLevel.Debug, true);
        var notifier = new TeamsNotifier(_clients, Options.Create(new NotifyOptions { MsTeamsV2TimeoutSeconds = timeoutSeconds }), _logger);
        var relay = RelayConfig.Default with { Receivers = [new ReceiverConfig("oncall", [], [], []) { MsTeamsV2Configs = [config ?? Config] }] };
        return notifier.SendAsync(relay, Target, message ?? Message(NotificationKind.Firing, Alert(1)), CancellationToken.None);
    }

    private static string Reason(NotifyResult result) => result switch
    {
        NotifyResult.Retry retry => retry.Reason,
        NotifyResult.Failed failed => failed.Reason,
        _ => "",
    };

    [Fact]
    public async Task SendAsync_Delivers_WhenTeamsAnswers202()
    {
        var result = await SendAsync();

        Assert.IsType<NotifyResult.Sent>(result);
        var request = Assert.Single(_stub.Requests);
        Assert.Equal((202, "[FIRING:1] HighErrorRate critical", TeamsCard.Firing), (request.Status, request.Title, request.Color));
        Assert.Equal("application/json", request.Headers["Content-Type"]);
        output.WriteLine(request.Body); // the card as Teams received it (docs/receivers/teams.md)
        Assert.DoesNotContain(_logger.Collector.GetSnapshot(), r => r.Message.Contains(TeamsStub.Signature, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SendAsync_PostsANewCard_WhenTheAlertResolves()
    {
        await SendAsync();

        await SendAsync(message: Message(NotificationKind.Resolved, Alert(1, AlertStatus.Resolved)));

        Assert.Equal([TeamsCard.Firing, TeamsCard.Resolved], _stub.Delivered.Select(r => r.Color));
        Assert.Equal("[RESOLVED] HighErrorRate critical", _stub.Delivered[1].Title);
    }

    [Fact]
    public async Task SendAsync_DeliversWithoutPosting_WhenAnOnCallUpdateComes()
    {
        var result = await SendAsync(message: Message(NotificationKind.Update, Alert(1)) with { EscalationStep = Integrations.AcknowledgedUpdate });

        Assert.Equal(NotifyResult.Delivered(), result);
        Assert.Empty(_stub.Requests);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.RequestEntityTooLarge)]
    public async Task SendAsync_FailsPermanently_WhenTeamsAnswersA4xxOtherThan429(HttpStatusCode status)
    {
        _stub.AnswerNext(status, body: """{"error":{"code":"WorkflowTriggerIsNotEnabled"}}""");

        var failed = Assert.IsType<NotifyResult.Failed>(await SendAsync());

        Assert.Equal($"msteamsv2: unexpected status code {(int)status}: " + """{"error":{"code":"WorkflowTriggerIsNotEnabled"}}""", failed.Reason);
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests, 5)]
    [InlineData(HttpStatusCode.BadGateway, null)]
    [InlineData(HttpStatusCode.ServiceUnavailable, 20)]
    public async Task SendAsync_RetriesNotBeforeRetryAfter_WhenTeamsAnswers429Or5xx(HttpStatusCode status, int? retryAfterSeconds)
    {
        _stub.AnswerNext(status, retryAfterSeconds: retryAfterSeconds);

        var retry = Assert.IsType<NotifyResult.Retry>(await SendAsync());

        Assert.Equal(retryAfterSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null, retry.RetryAfter);
        Assert.StartsWith($"msteamsv2: unexpected status code {(int)status}", retry.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_Retries_WhenTeamsDoesNotAnswerInTime()
    {
        _stub.HangNext();

        Assert.Equal("msteamsv2: timed out", Reason(await SendAsync(timeoutSeconds: 0.5)));
    }

    [Fact]
    public async Task SendAsync_RetriesWithoutTheSignedUrl_WhenTeamsIsUnreachable()
    {
        await _stub.GoDownAsync();

        var result = await SendAsync();

        Assert.IsType<NotifyResult.Retry>(result);
        Assert.DoesNotContain(TeamsStub.Signature, Reason(result), StringComparison.Ordinal);
        Assert.DoesNotContain("/workflows/", Reason(result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_ReadsTheUrlFileAtEachSend_AndNeverRepeatsABadUrl()
    {
        var file = Path.Combine(_directory, "teams-url");
        await File.WriteAllTextAsync(file, _stub.Url + "\n");
        Assert.IsType<NotifyResult.Sent>(await SendAsync(new MsTeamsV2Config { WebhookUrlFile = file }));

        await File.WriteAllTextAsync(file, $"ftp://teams.example.com/x?sig={TeamsStub.Signature}");
        var failed = Assert.IsType<NotifyResult.Failed>(await SendAsync(new MsTeamsV2Config { WebhookUrlFile = file }));

        Assert.Equal($"msteamsv2: webhook_url file {file}: unsupported scheme \"ftp\" for URL (http or https)", failed.Reason);
        Assert.Single(_stub.Requests);
    }

    [Fact]
    public async Task SendAsync_SendsTheAuthorizationHeader_WhenHttpConfigHasCredentials()
    {
        await SendAsync(Config with { HttpConfig = new HttpConfig { Credentials = "t0ken" } });

        Assert.Equal("Bearer t0ken", Assert.Single(_stub.Requests).Headers["Authorization"]);
    }
}
