using System.Net;
using System.Text;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Notify.Webhook;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static AlertRelay.Tests.Notify.Webhook.WebhookTestAlerts;

namespace AlertRelay.Tests.Notify.Webhook;

/// <summary>Deliveries to a loopback webhook: what is sent (body, headers, credentials), and how each answer is classified.</summary>
public sealed class WebhookNotifierTests : IAsyncLifetime
{
    private static readonly NotificationTarget Target = new("oncall", Integrations.Webhook, 0);

    private readonly WebhookClients _clients = new();
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "alertrelay-tests", Guid.NewGuid().ToString("N"));
    private WebhookStub _stub = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _stub = await WebhookStub.StartAsync();
    }

    public async Task DisposeAsync()
    {
        _clients.Dispose();
        await _stub.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private WebhookNotifier Notifier(double timeoutSeconds = 15) =>
        new(_clients, Options.Create(new NotifyOptions { WebhookTimeoutSeconds = timeoutSeconds }), NullLogger<WebhookNotifier>.Instance);

    private static RelayConfig ConfigWith(WebhookConfig webhook) =>
        RelayConfig.Default with { Receivers = [new ReceiverConfig("oncall", [], [], [webhook])] };

    private Task<NotifyResult> SendAsync(WebhookConfig webhook, NotificationMessage? message = null, double timeoutSeconds = 15) =>
        Notifier(timeoutSeconds).SendAsync(ConfigWith(webhook), Target, message ?? Message(NotificationKind.Firing, Alert(1)), CancellationToken.None);

    private string File(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public async Task SendAsync_Delivers_WhenTheWebhookAnswers2xx()
    {
        _stub.AnswerNext(HttpStatusCode.NoContent);

        var result = await SendAsync(Config(_stub.Url));

        Assert.IsType<NotifyResult.Sent>(result);
        var request = Assert.Single(_stub.Requests);
        Assert.Equal(("POST", WebhookStub.Path, "application/json"), (request.Method, request.Path, request.ContentType));
        Assert.StartsWith("AlertRelay/", request.Headers["User-Agent"], StringComparison.Ordinal);
        Assert.Null(request.Authorization);
        Assert.Equal("4", request.Json!["version"]!.GetValue<string>());
        Assert.Equal([Alert(1).Fingerprint.ToString()], request.Fingerprints);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.RequestEntityTooLarge)]
    public async Task SendAsync_FailsPermanently_WhenTheWebhookAnswersA4xxOtherThan429(HttpStatusCode status)
    {
        _stub.AnswerNext(status, body: "no such hook");

        var result = await SendAsync(Config(_stub.Url));

        var failed = Assert.IsType<NotifyResult.Failed>(result);
        Assert.Equal($"webhook: unexpected status code {(int)status}: no such hook", failed.Reason);
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests, 7)]
    [InlineData(HttpStatusCode.ServiceUnavailable, 30)]
    [InlineData(HttpStatusCode.InternalServerError, null)]
    [InlineData(HttpStatusCode.BadGateway, null)]
    public async Task SendAsync_RetriesNotBeforeRetryAfter_WhenTheWebhookAnswers429Or5xx(HttpStatusCode status, int? retryAfterSeconds)
    {
        _stub.AnswerNext(status, retryAfterSeconds: retryAfterSeconds);

        var result = await SendAsync(Config(_stub.Url));

        var retry = Assert.IsType<NotifyResult.Retry>(result);
        Assert.Equal(retryAfterSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null, retry.RetryAfter);
        Assert.StartsWith($"webhook: unexpected status code {(int)status}", retry.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_Retries_WhenTheWebhookDoesNotAnswerInTime()
    {
        _stub.HangNext();

        var result = await SendAsync(Config(_stub.Url), timeoutSeconds: 0.5);

        Assert.Equal("webhook: timed out", Assert.IsType<NotifyResult.Retry>(result).Reason);
    }

    [Fact]
    public async Task SendAsync_Retries_WhenTheWebhookIsDown()
    {
        await _stub.GoDownAsync();

        var result = await SendAsync(Config(_stub.Url));

        Assert.IsType<NotifyResult.Retry>(result);
        Assert.DoesNotContain("/hook", ((NotifyResult.Retry)result).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_SendsBearerCredentials_WhenAuthorizationHasCredentials()
    {
        await SendAsync(Config(_stub.Url) with { HttpConfig = new HttpConfig { Credentials = "s3cret-token" } });

        Assert.Equal("Bearer s3cret-token", Assert.Single(_stub.Requests).Authorization);
    }

    [Fact]
    public async Task SendAsync_SendsTheConfiguredScheme_WhenAuthorizationHasAType()
    {
        await SendAsync(Config(_stub.Url) with { HttpConfig = new HttpConfig { AuthorizationType = "Token", Credentials = "abc" } });

        Assert.Equal("Token abc", Assert.Single(_stub.Requests).Authorization);
    }

    [Fact]
    public async Task SendAsync_ReadsTheCredentialsFileAtEachSend_WhenAuthorizationHasCredentialsFile()
    {
        var path = File("token", "first-token\n");
        var webhook = Config(_stub.Url) with { HttpConfig = new HttpConfig { CredentialsFile = path } };

        await SendAsync(webhook);
        System.IO.File.WriteAllText(path, "rotated-token\n");
        await SendAsync(webhook);

        Assert.Equal(["Bearer first-token", "Bearer rotated-token"], _stub.Requests.Select(r => r.Authorization));
    }

    [Fact]
    public async Task SendAsync_SendsBasicAuth_WhenBasicAuthHasAPasswordFile()
    {
        var webhook = Config(_stub.Url) with
        {
            HttpConfig = new HttpConfig { HasBasicAuth = true, Username = "relay", PasswordFile = File("password", "hunter2\n") },
        };

        await SendAsync(webhook);

        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("relay:hunter2")), Assert.Single(_stub.Requests).Authorization);
    }

    [Fact]
    public async Task SendAsync_FailsPermanentlyWithoutPosting_WhenTheCredentialsFileIsMissing()
    {
        var webhook = Config(_stub.Url) with { HttpConfig = new HttpConfig { CredentialsFile = Path.Combine(_directory, "missing") } };

        var result = await SendAsync(webhook);

        Assert.StartsWith("webhook: cannot read authorization credentials file", Assert.IsType<NotifyResult.Failed>(result).Reason, StringComparison.Ordinal);
        Assert.Empty(_stub.Requests);
    }

    [Fact]
    public async Task SendAsync_ReadsTheUrlFileAtEachSend_WhenUrlFileIsSet()
    {
        var path = File("url", "http://127.0.0.1:1/nobody-listens\n");
        var webhook = new WebhookConfig { UrlFile = path };

        var before = await SendAsync(webhook);
        System.IO.File.WriteAllText(path, _stub.Url + "\n");
        var after = await SendAsync(webhook);

        Assert.IsType<NotifyResult.Retry>(before);
        Assert.IsType<NotifyResult.Sent>(after);
        Assert.Single(_stub.Requests);
    }

    [Fact]
    public async Task SendAsync_FailsPermanentlyWithoutSayingTheUrl_WhenTheUrlFileHoldsNoHttpUrl()
    {
        var webhook = new WebhookConfig { UrlFile = File("url", "ftp://example.com/secret-token") };

        var result = await SendAsync(webhook);

        var reason = Assert.IsType<NotifyResult.Failed>(result).Reason;
        Assert.Contains("unsupported scheme \"ftp\"", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-token", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_FollowsARedirect_WhenFollowRedirectsIsLeftOut()
    {
        _stub.RedirectNext("/moved");

        var result = await SendAsync(Config(_stub.Url));

        Assert.IsType<NotifyResult.Sent>(result);
        Assert.Equal([WebhookStub.Path, "/moved"], _stub.Requests.Select(r => r.Path));
    }

    [Fact]
    public async Task SendAsync_FailsPermanentlyOnARedirect_WhenFollowRedirectsIsFalse()
    {
        _stub.RedirectNext("/moved");

        var result = await SendAsync(Config(_stub.Url) with { HttpConfig = new HttpConfig { FollowRedirects = false } });

        Assert.StartsWith("webhook: unexpected status code 307", Assert.IsType<NotifyResult.Failed>(result).Reason, StringComparison.Ordinal);
        Assert.Equal([WebhookNotifier.NoRedirectsHttpClientName], _clients.Names);
    }

    [Fact]
    public async Task SendAsync_PostsANewMessageWithStatusResolved_WhenTheAlertResolved()
    {
        await SendAsync(Config(_stub.Url));
        await SendAsync(Config(_stub.Url), Message(NotificationKind.Resolved, Alert(1, AlertStatus.Resolved)));

        Assert.Equal(["firing", "resolved"], _stub.Requests.Select(r => r.Json!["status"]!.GetValue<string>()));
        Assert.Equal(_stub.Requests[0].Json!["groupKey"]!.GetValue<string>(), _stub.Requests[1].Json!["groupKey"]!.GetValue<string>());
    }

    [Fact]
    public async Task SendAsync_DeliversWithoutPosting_WhenThereIsNothingToSend()
    {
        var result = await SendAsync(Config(_stub.Url) with { SendResolved = false }, Message(NotificationKind.Resolved, Alert(1, AlertStatus.Resolved)));

        Assert.IsType<NotifyResult.Sent>(result);
        Assert.Empty(_stub.Requests);
    }

    [Fact]
    public async Task SendAsync_FailsPermanently_WhenTheEntryIsGoneFromTheConfig()
    {
        var result = await Notifier().SendAsync(RelayConfig.Default, Target, Message(NotificationKind.Firing, Alert(1)), CancellationToken.None);

        Assert.Equal("receiver \"oncall\" has no webhook_configs[0] any more", Assert.IsType<NotifyResult.Failed>(result).Reason);
    }

    public static TheoryData<string, int, bool, string> Answers => new()
    {
        { "200 OK", 200, false, "Sent" },
        { "202 Accepted", 202, false, "Sent" },
        { "204 No Content", 204, false, "Sent" },
        { "301 not followed", 301, false, "Failed" },
        { "400 Bad Request", 400, false, "Failed" },
        { "408 Request Timeout", 408, false, "Failed" },
        { "429 Too Many Requests", 429, true, "Retry" },
        { "500 Internal Server Error", 500, false, "Retry" },
        { "503 Service Unavailable", 503, true, "Retry" },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public void Classify_FollowsAlertmanagersRetrierWith429Retried_ForEachStatus(string name, int status, bool retryAfter, string expected)
    {
        var result = WebhookClient.Classify((HttpStatusCode)status, "", retryAfter ? TimeSpan.FromSeconds(3) : null);

        Assert.True(expected == result.GetType().Name, $"{name}: {result}");
        Assert.Equal(retryAfter ? TimeSpan.FromSeconds(3) : null, (result as NotifyResult.Retry)?.RetryAfter);
    }
}
