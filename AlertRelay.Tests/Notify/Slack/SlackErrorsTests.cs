using System.Net;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Notify.Slack;

namespace AlertRelay.Tests.Notify.Slack;

public class SlackErrorsTests
{
    [Theory]
    [InlineData("ratelimited")]
    [InlineData("internal_error")]
    [InlineData("fatal_error")]
    [InlineData("service_unavailable")]
    [InlineData("request_timeout")]
    public void Classify_IsRetry_WhenSlackHadATransientProblem(string error)
    {
        var result = SlackErrors.Classify("chat.postMessage", error, TimeSpan.FromSeconds(3));

        var retry = Assert.IsType<NotifyResult.Retry>(result);
        Assert.Equal($"slack chat.postMessage: {error}", retry.Reason);
        Assert.Equal(TimeSpan.FromSeconds(3), retry.RetryAfter);
    }

    [Theory]
    [InlineData("invalid_auth")]
    [InlineData("not_authed")]
    [InlineData("channel_not_found")]
    [InlineData("is_archived")]
    [InlineData("msg_too_long")]
    [InlineData("no_text")]
    [InlineData("invalid_blocks")]
    [InlineData("token_revoked")]
    [InlineData("account_inactive")]
    [InlineData("missing_scope")]
    [InlineData("not_in_channel")]
    [InlineData("message_not_found")]
    [InlineData("cant_update_message")]
    public void Classify_IsPermanent_WhenRetryingCannotHelp(string error)
    {
        var result = SlackErrors.Classify("chat.update", error);

        Assert.Equal(NotifyResult.Permanent($"slack chat.update: {error}"), result);
        Assert.True(SlackErrors.IsKnown(error));
    }

    [Fact]
    public void Classify_IsPermanentAndSaysSo_WhenTheCodeIsUnknown()
    {
        var result = SlackErrors.Classify("chat.postMessage", "something_new");

        var failed = Assert.IsType<NotifyResult.Failed>(result);
        Assert.Contains("does not know", failed.Reason);
        Assert.False(SlackErrors.IsKnown("something_new"));
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests, true)]
    [InlineData(HttpStatusCode.InternalServerError, true)]
    [InlineData(HttpStatusCode.BadGateway, true)]
    [InlineData(HttpStatusCode.GatewayTimeout, true)]
    [InlineData(HttpStatusCode.BadRequest, false)]
    [InlineData(HttpStatusCode.Unauthorized, false)]
    [InlineData(HttpStatusCode.Forbidden, false)]
    [InlineData(HttpStatusCode.NotFound, false)]
    [InlineData(HttpStatusCode.Gone, false)]
    public void ClassifyStatus_RetriesOnly429And5xx(HttpStatusCode status, bool retry)
    {
        var result = SlackErrors.ClassifyStatus("webhook", status, "detail");

        Assert.Equal(retry, result is NotifyResult.Retry);
        Assert.Equal(!retry, result is NotifyResult.Failed);
    }
}
