using System.Net;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Notify.PagerDuty;
using AlertRelay.Tests.Notify.Webhook;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using static AlertRelay.Tests.Notify.Webhook.WebhookTestAlerts;

namespace AlertRelay.Tests.Notify.PagerDuty;

/// <summary>Events sent to a loopback PagerDuty that speaks the Events API v2 contract, and how each answer is classified.</summary>
public sealed class PagerDutyNotifierTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private const string RoutingKey = "R0UT1NGK3Yfedcba9876543210fedcba";
    private static readonly NotificationTarget Target = new("oncall", Integrations.PagerDuty, 0);

    private readonly WebhookClients _clients = new();
    private readonly FakeLogger<PagerDutyNotifier> _logger = new();
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "alertrelay-tests", Guid.NewGuid().ToString("N"));
    private PagerDutyStub _stub = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _stub = await PagerDutyStub.StartAsync();
    }

    public async Task DisposeAsync()
    {
        _clients.Dispose();
        await _stub.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private PagerDutyConfig Config => new() { RoutingKey = RoutingKey, Url = _stub.Url };

    private Task<NotifyResult> SendAsync(PagerDutyConfig? config = null, NotificationMessage? message = null, double timeoutSeconds = 15)
    {
        _logger.ControlLevel(LogLevel.Debug, true);
        var notifier = new PagerDutyNotifier(_clients, Options.Create(new NotifyOptions { PagerDutyTimeoutSeconds = timeoutSeconds }), _logger);
        var relay = RelayConfig.Default with { Receivers = [new ReceiverConfig("oncall", [], [], []) { PagerDutyConfigs = [config ?? Config] }] };
        return notifier.SendAsync(relay, Target, message ?? Message(NotificationKind.Firing, Alert(1)), CancellationToken.None);
    }

    private void AssertNoSecretLogged() =>
        Assert.DoesNotContain(_logger.Collector.GetSnapshot(), r => r.Message.Contains(RoutingKey, StringComparison.Ordinal));

    [Fact]
    public async Task SendAsync_Delivers_AndKeepsTheDedupKey_WhenPagerDutyAnswers202()
    {
        var result = await SendAsync();

        var sent = Assert.IsType<NotifyResult.Sent>(result);
        var request = Assert.Single(_stub.Requests);
        Assert.Equal((202, "trigger", RoutingKey, PagerDutyDedupKey.Of(Alert(1))), (request.Status, request.Action, request.RoutingKey, request.DedupKey));
        Assert.Equal(PagerDutyDedupKey.Of(Alert(1)), sent.Reference?.PagerDutyDedupKey);
        Assert.Equal("application/json", request.Headers["Content-Type"]);
        Assert.Equal("triggered", _stub.Alerts[request.DedupKey!]);
        AssertNoSecretLogged();
    }

    [Fact]
    public async Task SendAsync_TriggersAcknowledgesAndResolvesOneAlert_WhenTheOccurrenceGoesThroughItsLife()
    {
        var key = PagerDutyDedupKey.Of(Alert(1));
        await SendAsync();
        await SendAsync(message: Message(NotificationKind.Update, Alert(1)) with
        {
            EscalationStep = Integrations.AcknowledgedUpdate, Previous = new DeliveryRef(PagerDutyDedupKey: key),
        });
        Assert.Equal("acknowledged", _stub.Alerts[key]);

        await SendAsync(message: Message(NotificationKind.Resolved, Alert(1, AlertStatus.Resolved)));

        Assert.Equal(["trigger", "acknowledge", "resolve"], _stub.Accepted.Select(e => e.Action));
        Assert.All(_stub.Accepted, e => Assert.Equal(key, e.DedupKey));
        Assert.Equal("resolved", Assert.Single(_stub.Alerts).Value);
        _stub.Accepted.ToList().ForEach(e => output.WriteLine(e.Body)); // the bodies as PagerDuty received them (docs/receivers/pagerduty.md)
    }

    [Fact]
    public async Task SendAsync_DeliversWithoutPosting_WhenTheUpdateMeansNothingToPagerDuty()
    {
        var result = await SendAsync(message: Message(NotificationKind.Update, Alert(1)) with { EscalationStep = "silenced" });

        Assert.Equal(NotifyResult.Delivered(), result);
        Assert.Empty(_stub.Requests);
    }

    [Fact]
    public async Task SendAsync_FailsPermanently_WhenPagerDutyAnswers400()
    {
        _stub.AnswerNext(HttpStatusCode.BadRequest);

        var failed = Assert.IsType<NotifyResult.Failed>(await SendAsync());

        Assert.Equal("pagerduty: unexpected status code 400", failed.Reason);
    }

    [Theory]
    [InlineData("""{"routing_key":"R0UT1NGK3Yfedcba9876543210fedcba","event_action":"resolve"}""", "'dedup_key' is missing or blank")]
    [InlineData("""{"routing_key":"R0UT1NGK3Yfedcba9876543210fedcba","event_action":"trigger","payload":{"summary":"s","source":"x","severity":"page"}}""", "'payload.severity' is invalid")]
    [InlineData("""{"event_action":"trigger","payload":{"summary":"s","source":"x","severity":"info"}}""", "'routing_key' is missing or blank")]
    public async Task PostAsync_FailsPermanentlyWithPagerDutysReason_WhenTheEventIsInvalid(string body, string error)
    {
        using var http = _clients.CreateClient(PagerDutyNotifier.HttpClientName);

        var result = await new Core.Notify.Webhook.WebhookClient(http, Integrations.PagerDuty)
            .PostAsync(new Uri(_stub.Url), null, System.Text.Encoding.UTF8.GetBytes(body), CancellationToken.None);

        var reason = Assert.IsType<NotifyResult.Failed>(result).Reason;
        Assert.StartsWith("pagerduty: unexpected status code 400: {\"status\":\"invalid event\",\"message\":\"Event object is invalid\"", reason, StringComparison.Ordinal);
        Assert.Contains(error, reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_FailsPermanentlyWithoutPosting_WhenTheRoutingKeyFileIsEmpty()
    {
        var failed = Assert.IsType<NotifyResult.Failed>(await SendAsync(Config with { RoutingKey = null, RoutingKeyFile = File("key", "  \n") }));

        Assert.StartsWith("pagerduty: routing_key: file ", failed.Reason, StringComparison.Ordinal);
        Assert.EndsWith(" is empty", failed.Reason, StringComparison.Ordinal);
        Assert.Empty(_stub.Requests);
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests, 7)]
    [InlineData(HttpStatusCode.InternalServerError, null)]
    [InlineData(HttpStatusCode.ServiceUnavailable, 30)]
    public async Task SendAsync_RetriesNotBeforeRetryAfter_WhenPagerDutyAnswers429Or5xx(HttpStatusCode status, int? retryAfterSeconds)
    {
        _stub.AnswerNext(status, retryAfterSeconds: retryAfterSeconds);

        var retry = Assert.IsType<NotifyResult.Retry>(await SendAsync());

        Assert.Equal(retryAfterSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null, retry.RetryAfter);
        Assert.StartsWith($"pagerduty: unexpected status code {(int)status}", retry.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_Retries_WhenPagerDutyDoesNotAnswerInTime()
    {
        _stub.HangNext();

        Assert.Equal("pagerduty: timed out", Assert.IsType<NotifyResult.Retry>(await SendAsync(timeoutSeconds: 0.5)).Reason);
    }

    [Fact]
    public async Task SendAsync_UsesTheEntrysTimeout_WhenOneIsConfigured()
    {
        _stub.HangNext();

        var result = await SendAsync(Config with { Timeout = TimeSpan.FromMilliseconds(300) }, timeoutSeconds: 120);

        Assert.Equal("pagerduty: timed out", Assert.IsType<NotifyResult.Retry>(result).Reason);
    }

    [Fact]
    public async Task SendAsync_Retries_WhenPagerDutyIsUnreachable()
    {
        await _stub.GoDownAsync();

        var retry = Assert.IsType<NotifyResult.Retry>(await SendAsync());

        Assert.StartsWith("pagerduty: ", retry.Reason, StringComparison.Ordinal);
        AssertNoSecretLogged();
    }

    [Fact]
    public async Task SendAsync_ReadsTheRoutingKeyFileAtEachSend()
    {
        var file = File("routing-key", "first-key\n");
        await SendAsync(Config with { RoutingKey = null, RoutingKeyFile = file });
        System.IO.File.WriteAllText(file, "second-key");

        await SendAsync(Config with { RoutingKey = null, RoutingKeyFile = file });

        Assert.Equal(["first-key", "second-key"], _stub.Requests.Select(r => r.RoutingKey));
    }

    [Fact]
    public async Task SendAsync_FailsPermanently_WhenTheEntryIsGoneFromTheConfiguration()
    {
        var notifier = new PagerDutyNotifier(_clients, Options.Create(new NotifyOptions()), _logger);

        var result = await notifier.SendAsync(RelayConfig.Default, Target, Message(NotificationKind.Firing, Alert(1)), CancellationToken.None);

        Assert.Equal("receiver \"oncall\" has no pagerduty_configs[0] any more", Assert.IsType<NotifyResult.Failed>(result).Reason);
    }

    private string File(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }
}
