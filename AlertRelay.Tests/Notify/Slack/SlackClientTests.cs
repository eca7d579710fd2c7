using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Notify.Slack;
using AlertRelay.Tests.TestData;

namespace AlertRelay.Tests.Notify.Slack;

public class SlackClientTests : IAsyncLifetime
{
    private static readonly SlackMessage Hello = new("Hello *world*")
    {
        Channel = "#alerts",
        Blocks = new JsonArray(new JsonObject { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = "Hello *world*" } }),
    };

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private SlackStub _stub = null!;

    private SlackClient Client => new(_http);

    public async Task InitializeAsync() => _stub = await SlackStub.StartAsync();

    public async Task DisposeAsync()
    {
        await _stub.DisposeAsync();
        _http.Dispose();
    }

    [Fact]
    public async Task PostMessageAsync_ReturnsChannelIdAndTs_WhenSlackAccepts()
    {
        var response = await Client.PostMessageAsync(_stub.BaseUrl, _stub.Token, Hello, CancellationToken.None);

        Assert.True(response.IsOk, response.Result.ToString());
        Assert.Equal(SlackStub.ChannelId, response.Channel);
        Assert.Matches(@"^\d{10}\.\d{6}$", response.Ts);
        var request = Assert.Single(_stub.Requests);
        Assert.Equal(("POST", SlackStub.PostMessagePath), (request.Method, request.Path));
        Assert.Equal($"Bearer {SlackStub.DefaultToken}", request.Authorization);
        Assert.Equal("application/json; charset=utf-8", request.ContentType);
        Assert.Equal("#alerts", request.Field("channel"));
        Assert.Equal("Hello *world*", request.Field("text"));
        Assert.False(request.Json!["unfurl_links"]!.GetValue<bool>());
        Assert.Equal("Hello *world*", _stub.Messages[response.Ts!].Text);
    }

    [Fact]
    public async Task PostMessageAsync_GivesIncreasingTs_WhenPostingTwice()
    {
        var first = await Client.PostMessageAsync(_stub.BaseUrl, _stub.Token, Hello, CancellationToken.None);
        var second = await Client.PostMessageAsync(_stub.BaseUrl, _stub.Token, Hello, CancellationToken.None);

        Assert.True(string.CompareOrdinal(first.Ts, second.Ts) < 0, $"{first.Ts} then {second.Ts}");
    }

    [Fact]
    public async Task UpdateMessageAsync_ReplacesTheMessage_WhenItExists()
    {
        var posted = await Client.PostMessageAsync(_stub.BaseUrl, _stub.Token, Hello, CancellationToken.None);

        var updated = await Client.UpdateMessageAsync(
            _stub.BaseUrl, _stub.Token, posted.Channel!, posted.Ts!, new SlackMessage("Goodbye"), CancellationToken.None);

        Assert.True(updated.IsOk, updated.Result.ToString());
        Assert.Equal((posted.Channel, posted.Ts), (updated.Channel, updated.Ts));
        var request = _stub.Requests[^1];
        Assert.Equal(SlackStub.UpdatePath, request.Path);
        Assert.Equal((SlackStub.ChannelId, posted.Ts), (request.Field("channel"), request.Field("ts")));
        var message = _stub.Messages[posted.Ts!];
        Assert.Equal(("Goodbye", 1), (message.Text, message.UpdateCount));
        Assert.Empty(message.Attachments!); // an update without attachments clears the old ones
    }

    [Fact]
    public async Task UpdateMessageAsync_IsPermanentMessageNotFound_WhenTheMessageIsGone()
    {
        var response = await Client.UpdateMessageAsync(
            _stub.BaseUrl, _stub.Token, SlackStub.ChannelId, "1700000000.000001", Hello, CancellationToken.None);

        Assert.IsType<NotifyResult.Failed>(response.Result);
        Assert.Equal("message_not_found", response.Error);
    }

    [Fact]
    public async Task PostMessageAsync_RepliesInThread_WhenThreadTsIsSet()
    {
        var parent = await Client.PostMessageAsync(_stub.BaseUrl, _stub.Token, Hello, CancellationToken.None);

        var reply = await Client.PostMessageAsync(
            _stub.BaseUrl, _stub.Token, new SlackMessage("Resolved") { Channel = parent.Channel, ThreadTs = parent.Ts }, CancellationToken.None);

        Assert.True(reply.IsOk, reply.Result.ToString());
        Assert.Equal(parent.Ts, _stub.Requests[^1].Field("thread_ts"));
        var stored = Assert.Single(_stub.Messages[parent.Ts!].Replies);
        Assert.Equal(("Resolved", reply.Ts), (stored.Text, stored.Ts));
        Assert.Single(_stub.TopLevelMessages);
    }

    public static TheoryData<string, Action<SlackStub>, Type, string?> Failures => new()
    {
        { "HTTP 500", s => s.FailNext(), typeof(NotifyResult.Retry), null },
        { "HTTP 503", s => s.FailNext(status: HttpStatusCode.ServiceUnavailable), typeof(NotifyResult.Retry), null },
        { "HTTP 400", s => s.FailNext(status: HttpStatusCode.BadRequest), typeof(NotifyResult.Failed), null },
        { "HTTP 404", s => s.FailNext(status: HttpStatusCode.NotFound), typeof(NotifyResult.Failed), null },
        { "ok:false channel_not_found", s => s.ErrorNext("channel_not_found"), typeof(NotifyResult.Failed), "channel_not_found" },
        { "ok:false not_in_channel", s => s.ErrorNext("not_in_channel"), typeof(NotifyResult.Failed), "not_in_channel" },
        { "ok:false ratelimited (HTTP 200)", s => s.ErrorNext("ratelimited"), typeof(NotifyResult.Retry), "ratelimited" },
        { "ok:false internal_error", s => s.ErrorNext("internal_error"), typeof(NotifyResult.Retry), "internal_error" },
        { "ok:false service_unavailable", s => s.ErrorNext("service_unavailable"), typeof(NotifyResult.Retry), "service_unavailable" },
        { "ok:false unknown error code", s => s.ErrorNext("brand_new_error"), typeof(NotifyResult.Failed), "brand_new_error" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task PostMessageAsync_ClassifiesLikeAlertmanager_WhenSlackFails(string name, Action<SlackStub> fail, Type expected, string? error)
    {
        fail(_stub);

        var response = await Client.PostMessageAsync(_stub.BaseUrl, _stub.Token, Hello, CancellationToken.None);

        Assert.True(expected == response.Result.GetType(), $"{name}: {response.Result}");
        Assert.Equal(error, response.Error);
        Assert.Single(_stub.Requests); // one attempt: retries belong to the outbox
    }

    [Fact]
    public async Task PostMessageAsync_RetriesAfterRetryAfter_WhenRateLimitedWith429()
    {
        _stub.RateLimitNext(retryAfterSeconds: 1);

        var response = await Client.PostMessageAsync(_stub.BaseUrl, _stub.Token, Hello, CancellationToken.None);

        var retry = Assert.IsType<NotifyResult.Retry>(response.Result);
        Assert.Equal(TimeSpan.FromSeconds(1), retry.RetryAfter);
        Assert.Equal("ratelimited", response.Error);
        Assert.Contains("429", retry.Reason);
    }

    [Fact]
    public async Task PostMessageAsync_SaysUnknownErrorCodesAreNotRetried_WhenSlackNamesOneItDoesNotDocument()
    {
        _stub.ErrorNext("brand_new_error");

        var response = await Client.PostMessageAsync(_stub.BaseUrl, _stub.Token, Hello, CancellationToken.None);

        var failed = Assert.IsType<NotifyResult.Failed>(response.Result);
        Assert.Contains("brand_new_error", failed.Reason);
        Assert.Contains("not retried", failed.Reason);
    }

    [Theory]
    [InlineData("xoxb-wrong-token", "invalid_auth")]
    [InlineData("xoxb-test-token-but-longer", "invalid_auth")]
    public async Task PostMessageAsync_IsPermanent_WhenTokenIsInvalid(string token, string error)
    {
        var response = await Client.PostMessageAsync(_stub.BaseUrl, token, Hello, CancellationToken.None);

        Assert.IsType<NotifyResult.Failed>(response.Result);
        Assert.Equal(error, response.Error);
        Assert.Empty(_stub.Messages);
    }

    [Fact]
    public async Task PostMessageAsync_IsPermanentWithoutCalling_WhenTokenHasWhitespace()
    {
        var response = await Client.PostMessageAsync(_stub.BaseUrl, "xoxb-a b", Hello, CancellationToken.None);

        Assert.IsType<NotifyResult.Failed>(response.Result);
        Assert.Empty(_stub.Requests);
    }

    [Fact]
    public async Task PostMessageAsync_IsRetry_WhenConnectionIsRefused()
    {
        Assert.True((await Client.PostMessageAsync(_stub.BaseUrl, _stub.Token, Hello, CancellationToken.None)).IsOk);
        await _stub.GoDownAsync();

        var whileDown = await Client.PostMessageAsync(_stub.BaseUrl, _stub.Token, Hello, CancellationToken.None);
        await _stub.ComeBackAsync();
        var afterwards = await Client.PostMessageAsync(_stub.BaseUrl, _stub.Token, Hello, CancellationToken.None);

        var retry = Assert.IsType<NotifyResult.Retry>(whileDown.Result);
        Assert.Contains("refused", retry.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.True(afterwards.IsOk, afterwards.Result.ToString());
        Assert.Equal(2, _stub.Messages.Count);
    }

    [Fact]
    public async Task PostMessageAsync_IsRetry_WhenSlackDoesNotAnswerInTime()
    {
        using var impatient = new HttpClient { Timeout = TimeSpan.FromMilliseconds(200) };
        _stub.DelayNext(TimeSpan.FromSeconds(5));

        var response = await new SlackClient(impatient).PostMessageAsync(_stub.BaseUrl, _stub.Token, Hello, CancellationToken.None);

        var retry = Assert.IsType<NotifyResult.Retry>(response.Result);
        Assert.Contains("timed out", retry.Reason);
    }

    [Fact]
    public async Task PostMessageAsync_Throws_WhenTheCallerCancels()
    {
        _stub.DelayNext(TimeSpan.FromSeconds(5));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Client.PostMessageAsync(_stub.BaseUrl, _stub.Token, Hello, cancel.Token));
    }

    [Fact]
    public async Task PostMessageAsync_IsPermanentInvalidBlocks_WhenBlocksBreakSlackLimits()
    {
        var tooLong = new SlackMessage("x")
        {
            Channel = "#alerts",
            Blocks = new JsonArray(new JsonObject { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = new string('x', 3001) } }),
        };

        var response = await Client.PostMessageAsync(_stub.BaseUrl, _stub.Token, tooLong, CancellationToken.None);

        Assert.IsType<NotifyResult.Failed>(response.Result);
        Assert.Equal("invalid_blocks", response.Error);
    }

    [Theory]
    [InlineData("http://127.0.0.1:1/api")]
    [InlineData("http://127.0.0.1:1/api/")]
    public async Task PostMessageAsync_AddsTheMethodToTheBaseUrl_WithOrWithoutTrailingSlash(string baseUrl)
    {
        using var handler = new CannedHandler(HttpStatusCode.OK, """{"ok":true,"channel":"C1","ts":"1.000100"}""", "application/json");
        Uri? seen = null;
        using var http = new HttpClient(new RecordingHandler(handler, r => seen = r.RequestUri));

        var response = await new SlackClient(http).PostMessageAsync(baseUrl, "xoxb-1", Hello, CancellationToken.None);

        Assert.True(response.IsOk);
        Assert.Equal("http://127.0.0.1:1/api/chat.postMessage", seen?.ToString());
    }

    [Fact]
    public async Task PostMessageAsync_IsPermanent_WhenA2xxIsNotSlacksJson()
    {
        using var http = new HttpClient(new CannedHandler(HttpStatusCode.OK, "<html>proxy login</html>"));

        var response = await new SlackClient(http).PostMessageAsync("http://slack.invalid/api/", "xoxb-1", Hello, CancellationToken.None);

        var failed = Assert.IsType<NotifyResult.Failed>(response.Result);
        Assert.Contains("proxy login", failed.Reason);
    }

    [Fact]
    public async Task PostMessageAsync_MeasuresRetryAfterDateAgainstServerDate_WhenRetryAfterIsADate()
    {
        var serverNow = new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
        using var http = new HttpClient(new CannedHandler(HttpStatusCode.TooManyRequests, """{"ok":false,"error":"ratelimited"}""", "application/json", r =>
        {
            r.Headers.Date = serverNow;
            r.Headers.RetryAfter = new RetryConditionHeaderValue(serverNow.AddSeconds(30));
        }));

        var response = await new SlackClient(http).PostMessageAsync("http://slack.invalid/api/", "xoxb-1", Hello, CancellationToken.None);

        Assert.Equal(TimeSpan.FromSeconds(30), Assert.IsType<NotifyResult.Retry>(response.Result).RetryAfter);
    }

    [Fact]
    public async Task PostWebhookAsync_IsOkWithoutReference_WhenTheWebhookAnswersOk()
    {
        var response = await Client.PostWebhookAsync(_stub.WebhookUrl, Hello, CancellationToken.None);

        Assert.Equal(NotifyResult.Delivered(), response.Result);
        var request = Assert.Single(_stub.Requests);
        Assert.Equal(SlackStub.WebhookPath, request.Path);
        Assert.Null(request.Authorization);
        Assert.Equal("application/json; charset=utf-8", request.ContentType);
        Assert.True(Assert.Single(_stub.Messages).Value.ViaWebhook);
    }

    public static TheoryData<string, Action<SlackStub>, Type, string?> WebhookFailures => new()
    {
        { "404 channel_not_found", s => s.ErrorNext("channel_not_found"), typeof(NotifyResult.Failed), "channel_not_found" },
        { "400 invalid_payload", s => s.ErrorNext("invalid_payload"), typeof(NotifyResult.Failed), "invalid_payload" },
        { "410 channel_is_archived", s => s.ErrorNext("channel_is_archived"), typeof(NotifyResult.Failed), "channel_is_archived" },
        { "500 rollup_error", s => s.ErrorNext("rollup_error"), typeof(NotifyResult.Retry), "rollup_error" },
        { "500", s => s.FailNext(), typeof(NotifyResult.Retry), "upstream_error" },
        { "429", s => s.RateLimitNext(), typeof(NotifyResult.Retry), "ratelimited" },
    };

    [Theory]
    [MemberData(nameof(WebhookFailures))]
    public async Task PostWebhookAsync_ClassifiesByStatus_WhenTheWebhookFails(string name, Action<SlackStub> fail, Type expected, string? error)
    {
        fail(_stub);

        var response = await Client.PostWebhookAsync(_stub.WebhookUrl, Hello, CancellationToken.None);

        Assert.True(expected == response.Result.GetType(), $"{name}: {response.Result}");
        Assert.Equal(error, response.Error);
    }

    [Fact]
    public async Task PostWebhookAsync_IsRetry_WhenConnectionIsRefused()
    {
        await _stub.GoDownAsync();

        var response = await Client.PostWebhookAsync(_stub.WebhookUrl, Hello, CancellationToken.None);

        Assert.IsType<NotifyResult.Retry>(response.Result);
    }

    [Fact]
    public async Task PostWebhookAsync_KeepsTheUrlOutOfTheReason_WhenTheUrlIsInvalid()
    {
        var response = await Client.PostWebhookAsync("hooks.slack.com/services/T1/B1/secret", Hello, CancellationToken.None);

        var failed = Assert.IsType<NotifyResult.Failed>(response.Result);
        Assert.DoesNotContain("secret", failed.Reason);
    }

    /// <summary>Passes requests on to <paramref name="inner"/> after showing them to <paramref name="seen"/>.</summary>
    private sealed class RecordingHandler(HttpMessageHandler inner, Action<HttpRequestMessage> seen) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            seen(request);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
