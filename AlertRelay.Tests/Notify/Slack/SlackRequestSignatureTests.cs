using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AlertRelay.Core.Notify.Slack;

namespace AlertRelay.Tests.Notify.Slack;

public class SlackRequestSignatureTests
{
    // The worked example of Slack's "Verifying requests from Slack".
    private const string DocSecret = "8f742231b10e8888abcd99yyyzzz85a5";
    private const string DocTimestamp = "1531420618";
    private const string DocBody = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    private const string DocSignature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

    private const string Secret = "test-signing-secret";
    private const string Body = "payload=%7B%22type%22%3A%22block_actions%22%7D";
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Verify_AcceptsSlacksOwnWorkedExample()
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(long.Parse(DocTimestamp, CultureInfo.InvariantCulture)).AddMinutes(1);

        Assert.Equal(DocSignature, SlackRequestSignature.Sign(DocSecret, DocTimestamp, Encoding.UTF8.GetBytes(DocBody)));
        Assert.Equal(SlackSignatureCheck.Valid, SlackRequestSignature.Verify(DocSecret, DocTimestamp, DocSignature, Encoding.UTF8.GetBytes(DocBody), at));
    }

    public static TheoryData<string, string?, string?, string, SlackSignatureCheck> Cases
    {
        get
        {
            var ts = Seconds(Now);
            var good = Signed(Secret, ts, Body);
            return new()
            {
                { "good", ts, good, Body, SlackSignatureCheck.Valid },
                { "good, 4m59s old", Seconds(Now.AddSeconds(-299)), Signed(Secret, Seconds(Now.AddSeconds(-299)), Body), Body, SlackSignatureCheck.Valid },
                { "good, upper-case hex", ts, "v0=" + good[3..].ToUpperInvariant(), Body, SlackSignatureCheck.BadSignature },
                { "wrong secret", ts, Signed("another-secret", ts, Body), Body, SlackSignatureCheck.BadSignature },
                { "tampered body", ts, good, Body.Replace("block_actions", "block_actionz"), SlackSignatureCheck.BadSignature },
                { "timestamp changed after signing", Seconds(Now.AddSeconds(1)), good, Body, SlackSignatureCheck.BadSignature },
                { "stale: 5m01s old", Seconds(Now.AddSeconds(-301)), Signed(Secret, Seconds(Now.AddSeconds(-301)), Body), Body, SlackSignatureCheck.Stale },
                { "stale: a day old", Seconds(Now.AddDays(-1)), Signed(Secret, Seconds(Now.AddDays(-1)), Body), Body, SlackSignatureCheck.Stale },
                { "future: 6 minutes ahead", Seconds(Now.AddMinutes(6)), Signed(Secret, Seconds(Now.AddMinutes(6)), Body), Body, SlackSignatureCheck.Stale },
                { "missing signature", ts, null, Body, SlackSignatureCheck.Missing },
                { "missing timestamp", null, good, Body, SlackSignatureCheck.Missing },
                { "empty headers", "", " ", Body, SlackSignatureCheck.Missing },
                { "malformed: no v0= prefix", ts, good[3..], Body, SlackSignatureCheck.BadSignature },
                { "malformed: v1 scheme", ts, "v1=" + good[3..], Body, SlackSignatureCheck.BadSignature },
                { "malformed: truncated", ts, good[..^2], Body, SlackSignatureCheck.BadSignature },
                { "malformed timestamp: not a number", "yesterday", good, Body, SlackSignatureCheck.BadSignature },
                { "malformed timestamp: negative", "-" + ts, good, Body, SlackSignatureCheck.BadSignature },
                { "malformed timestamp: milliseconds", ts + "000", good, Body, SlackSignatureCheck.BadSignature },
            };
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Verify_ReturnsTheVerdict_ForEachCase(string name, string? timestamp, string? signature, string body, SlackSignatureCheck expected)
    {
        var actual = SlackRequestSignature.Verify(Secret, timestamp, signature, Encoding.UTF8.GetBytes(body), Now);

        Assert.True(expected == actual, $"{name}: expected {expected}, got {actual}");
    }

    [Theory]
    [InlineData(SlackSignatureCheck.Missing, "missing")]
    [InlineData(SlackSignatureCheck.Stale, "stale")]
    [InlineData(SlackSignatureCheck.BadSignature, "bad_signature")]
    public void Reason_NamesTheMetricReason_ForEachFailure(SlackSignatureCheck check, string reason) =>
        Assert.Equal(reason, SlackRequestSignature.Reason(check));

    private static string Seconds(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    // Computed here, not by the code under test, so the scheme is checked rather than echoed.
    private static string Signed(string secret, string timestamp, string body) =>
        "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"v0:{timestamp}:{body}")));
}
