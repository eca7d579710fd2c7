using System.Net;
using AlertRelay.Core.Oncall;
using AlertRelay.Tests.TestData;

namespace AlertRelay.Tests.Api;

/// <summary><c>POST /slack/interactions</c> through the real host on SQLite, with Slack's Web API and response_urls on loopback.</summary>
[Collection(MetricsRegistryCollection.Name)]
public sealed class SlackInteractionEndpointTests : IAsyncLifetime
{
    private SlackInteractionHost _host = null!;

    public async Task InitializeAsync() => _host = await SlackInteractionHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Post_AcknowledgesAndUpdatesTheMessage_WhenTheSignatureIsGood()
    {
        var id = await _host.FireAsync();
        var firing = _host.Slack.TopLevelMessages[0];
        Assert.Contains("\nAcknowledge\n", firing.AllText + "\n");
        Assert.Contains("\nSilence 1h\n", firing.AllText + "\n");

        var (status, _) = await _host.ClickAsync("ack", id.ToString());

        Assert.Equal(HttpStatusCode.OK, status);
        await _host.AssertAcknowledgedFromSlackAsync(id);
    }

    [Fact]
    public async Task Post_RecordsTheAcknowledgementAndUpdatesTheMessageLater_WhenSlackIsDownAtTheClick()
    {
        var id = await _host.FireAsync();
        await _host.Slack.GoDownAsync();

        var (status, _) = await _host.ClickAsync("ack", id.ToString());

        Assert.Equal(HttpStatusCode.OK, status); // committed before the answer: the update waits in the outbox
        Assert.Single(await _host.EventsAsync(id, "acknowledged"));
        Assert.Equal(1, await _host.NotificationCountAsync("pending"));
        await _host.Slack.ComeBackAsync();
        await SlackInteractionHost.WaitAsync(() => _host.Slack.TopLevelMessages[0].Replies.Count == 1, "the update once Slack is back");
        Assert.Contains("Acknowledged by *alice*", _host.Slack.TopLevelMessages[0].AllText);
    }

    public static TheoryData<string, string?, int, string?, string> Refused => new()
    {
        // name, secret used to sign (null: no headers), age in seconds, signature override, metric reason
        { "wrong secret", "not-the-secret", 0, null, "bad_signature" },
        { "stale timestamp", SlackInteractionHost.SigningSecret, -600, null, "stale" },
        { "future timestamp", SlackInteractionHost.SigningSecret, 600, null, "stale" },
        { "no signature headers", null, 0, null, "missing" },
        { "malformed signature", SlackInteractionHost.SigningSecret, 0, "sha256=abc", "bad_signature" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Post_Answers401AndChangesNothing_WhenVerificationFails(string name, string? secret, int age, string? signature, string reason)
    {
        var id = await _host.FireAsync();
        var body = "payload=" + Uri.EscapeDataString(_host.Payload("ack", id.ToString()).ToJsonString());

        var before = await FailuresAsync(reason);

        var (status, problem) = await _host.SendAsync(body, secret, DateTimeOffset.UtcNow.AddSeconds(age), signature);

        Assert.True(status == HttpStatusCode.Unauthorized, $"{name}: {status}");
        Assert.Contains("X-Slack-", problem);
        Assert.Empty(await _host.EventsAsync(id, "acknowledged"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await _host.AlertAsync(id)).GetProperty("alert").GetProperty("ack").ValueKind);
        Assert.Equal(before + 1, await FailuresAsync(reason));
        Assert.Empty(_host.Slack.Responses);
        Assert.DoesNotContain(_host.Slack.Requests, r => r.Path == SlackStub.UpdatePath);
    }

    /// <summary>The failure counter on /metrics (the exporter's registry outlives one host in the test process: compare before and after).</summary>
    private async Task<double> FailuresAsync(string reason)
    {
        var metrics = await _host.App.ClientWith(null).GetStringAsync("/metrics");
        var match = System.Text.RegularExpressions.Regex.Match(
            metrics, $@"(?m)^alertrelay_slack_verification_failures_total\{{reason=""{reason}""\}} (\S+)$");
        return match.Success ? double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    [Fact]
    public async Task Post_Answers401_WhenTheBodyWasTamperedWith()
    {
        var id = await _host.FireAsync();
        var body = "payload=" + Uri.EscapeDataString(_host.Payload("ack", "999").ToJsonString());
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signed = SlackInteractionHost.Sign(SlackInteractionHost.SigningSecret, timestamp, body);
        var tampered = body.Replace("999", id.ToString());

        var (status, _) = await _host.SendAsync(tampered, signature: signed);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Empty(await _host.EventsAsync(id, "acknowledged"));
    }

    [Fact]
    public async Task Post_AcknowledgesOnce_WhenDoubleClickedRetriedAndClickedByTwoPeople()
    {
        var id = await _host.FireAsync();

        var answers = await Task.WhenAll(
            _host.ClickAsync("ack", id.ToString()),
            _host.ClickAsync("ack", id.ToString()),
            _host.ClickAsync("ack", id.ToString(), retryNum: "1"),
            _host.ClickAsync("ack", id.ToString(), userId: "U456BOB", userName: "bob"));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Single(await _host.EventsAsync(id, "acknowledged"));
        await SlackInteractionHost.WaitAsync(async () => await _host.NotificationCountAsync("sent") == 2, "the firing and one update sent");
        Assert.Equal(0, await _host.NotificationCountAsync("pending"));
        Assert.Single(_host.Slack.TopLevelMessages[0].Replies);
        // Each click is answered, except a retry of what is already done (its first attempt answered).
        await SlackInteractionHost.WaitAsync(() => _host.Answers.Count(a => a.StartsWith("Acknowledged by", StringComparison.Ordinal)) == 1
            && _host.Answers.Count(a => a == "Already acknowledged.") >= 2, "the ephemeral answers");
        Assert.InRange(_host.Answers.Count, 3, 4);
    }

    [Fact]
    public async Task Post_AnswersEphemerallyAnd200_WhenTheActionIsUnknownOrTheAlertIsGone()
    {
        var id = await _host.FireAsync();

        Assert.Equal(HttpStatusCode.OK, (await _host.ClickAsync("delete_everything", id.ToString())).Status);
        Assert.Equal(HttpStatusCode.OK, (await _host.ClickAsync("ack", "not-an-id")).Status);
        Assert.Equal(HttpStatusCode.OK, (await _host.ClickAsync("ack", "987654")).Status);
        Assert.Equal(HttpStatusCode.OK, (await _host.ClickAsync("unack", id.ToString())).Status);

        await SlackInteractionHost.WaitAsync(() => _host.Answers.Count == 4, "four ephemeral answers");
        Assert.Contains(_host.Answers, a => a.Contains("does not know the button \"delete_everything\"", StringComparison.Ordinal));
        Assert.Contains(_host.Answers, a => a.Contains("carries no alert id", StringComparison.Ordinal));
        Assert.Contains("Alert 987654 no longer exists (retention may have removed it).", _host.Answers);
        Assert.Contains("This alert is not acknowledged.", _host.Answers);
        Assert.Empty(await _host.EventsAsync(id, "acknowledged"));
    }

    [Fact]
    public async Task Post_AnswersThatItIsResolved_WhenTheAlertResolvedBeforeTheClick()
    {
        var id = await _host.FireAsync();
        await _host.PostAsync(Fixtures.ResolvedSingle);
        await SlackInteractionHost.WaitAsync(() => _host.Slack.TopLevelMessages[0].Replies.Count == 1, "the resolve in Slack");
        Assert.DoesNotContain("\nAcknowledge\n", _host.Slack.TopLevelMessages[0].AllText + "\n"); // resolved messages carry no buttons

        var (status, _) = await _host.ClickAsync("ack", id.ToString());

        Assert.Equal(HttpStatusCode.OK, status);
        await SlackInteractionHost.WaitAsync(() => _host.Answers.Count == 1, "the ephemeral answer");
        Assert.Equal("This alert is resolved: there is nothing to acknowledge.", _host.Answers[0]);
        Assert.Empty(await _host.EventsAsync(id, "acknowledged"));
    }

    [Fact]
    public async Task Post_AnswersThatSilencesAreUnavailable_WhenNoAlertmanagerIsConfigured()
    {
        var id = await _host.FireAsync();

        var select = _host.Payload("silence_for", null);
        select["actions"]![0]!["type"] = "static_select";
        select["actions"]![0]!["selected_option"] = new System.Text.Json.Nodes.JsonObject { ["value"] = $"{id}:4h" };

        var (button, _) = await _host.ClickAsync("silence", $"{id}:1h");
        var (chosen, _) = await _host.SendAsync("payload=" + Uri.EscapeDataString(select.ToJsonString()));

        Assert.Equal(HttpStatusCode.OK, button);
        Assert.Equal(HttpStatusCode.OK, chosen);
        await SlackInteractionHost.WaitAsync(() => _host.Answers.Count == 2, "the ephemeral answers");
        Assert.All(_host.Answers, answer => Assert.Equal(NoSilencer.Reason, answer));
        Assert.Contains("Silence for…", _host.Slack.TopLevelMessages[0].AllText); // the select passed Slack's Block Kit checks
    }

    [Fact]
    public async Task Post_Unacknowledges_WhenTheUnacknowledgeButtonIsClicked()
    {
        var id = await _host.FireAsync();
        await _host.ClickAsync("ack", id.ToString());

        var (status, _) = await _host.ClickAsync("unack", id.ToString(), userId: "U456BOB", userName: "bob");

        Assert.Equal(HttpStatusCode.OK, status);
        var taken = Assert.Single(await _host.EventsAsync(id, "unacknowledged"));
        Assert.Equal("U456BOB", taken.GetProperty("detail").GetProperty("byId").GetString());
        await SlackInteractionHost.WaitAsync(() => _host.Slack.TopLevelMessages[0].Replies.Count == 2, "two thread replies");
        var message = _host.Slack.TopLevelMessages[0];
        Assert.Contains("\nAcknowledge\n", message.AllText + "\n");
        Assert.DoesNotContain("Acknowledged by", message.AllText);
        Assert.Contains("*Acknowledgement taken back*", message.Replies[1].Text);
    }

    [Fact]
    public async Task Post_Answers429ForThatAddressOnly_AfterRepeatedFailures()
    {
        var id = await _host.FireAsync();
        var body = "payload=" + Uri.EscapeDataString(_host.Payload("ack", id.ToString()).ToJsonString());
        var failures = new List<HttpStatusCode>();
        for (var i = 0; i <= SlackInteractionHost.MaxFailures; i++)
        {
            failures.Add((await _host.SendAsync(body, secret: "guess", remote: "198.51.100.66")).Status);
        }

        var otherAddress = await _host.SendAsync(body, secret: "guess", remote: "198.51.100.77");
        var goodFromTheLimitedAddress = await _host.ClickAsync("ack", id.ToString(), remote: "198.51.100.66");

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], failures);
        Assert.Equal(HttpStatusCode.Unauthorized, otherAddress.Status);
        Assert.Equal(HttpStatusCode.OK, goodFromTheLimitedAddress.Status);
        Assert.Single(await _host.EventsAsync(id, "acknowledged"));
    }

    public static TheoryData<string, string, HttpStatusCode, string?> Malformed => new()
    {
        { "no payload field", "token=abc", HttpStatusCode.BadRequest, "payload" },
        { "payload not JSON", "payload=%7Btype%3A", HttpStatusCode.BadRequest, "payload: is not JSON" },
        { "body over 1 MiB", "payload=" + new string('a', 1 << 20), HttpStatusCode.RequestEntityTooLarge, "more than 1048576 bytes" },
        { "the Open in AlertRelay link button", "payload=" + Uri.EscapeDataString("""{"type":"block_actions","user":{"id":"U1"},"actions":[{"action_id":"open","type":"button","url":"https://alertrelay.example.com/a/1"}]}"""), HttpStatusCode.OK, null },
        { "another interaction type", "payload=" + Uri.EscapeDataString("""{"type":"view_submission","user":{"id":"U1"}}"""), HttpStatusCode.OK, null },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task Post_AnswersWithoutActing_WhenThePayloadIsNotAButtonClick(string name, string body, HttpStatusCode expected, string? problem)
    {
        var (status, text) = await _host.SendAsync(body);

        Assert.True(expected == status, $"{name}: {status} {text}");
        if (problem is not null)
        {
            Assert.Contains(problem, text);
        }
    }
}

/// <summary>Without a signing secret: no buttons, and the endpoint refuses everything.</summary>
public sealed class SlackInteractionDisabledTests : IAsyncLifetime
{
    private SlackInteractionHost _host = null!;

    public async Task InitializeAsync() => _host = await SlackInteractionHost.StartAsync(withSecret: false);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Post_Answers404AndMessagesCarryNoButtons_WhenNoSigningSecretIsConfigured()
    {
        var id = await _host.FireAsync();

        var (status, text) = await _host.ClickAsync("ack", id.ToString());

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("AlertRelay:Slack:SigningSecret", text);
        Assert.DoesNotContain("\nAcknowledge\n", _host.Slack.TopLevelMessages[0].AllText + "\n");
        Assert.Empty(await _host.EventsAsync(id, "acknowledged"));
    }
}

/// <summary>The acknowledgement loop on PostgreSQL: the same host, the other engine.</summary>
public sealed class SlackInteractionOnPostgresTests : IAsyncLifetime
{
    private SlackInteractionHost _host = null!;

    public async Task InitializeAsync()
    {
        var connectionString = await (await PostgresCluster.Shared).CreateDatabaseAsync("slack_interactions");
        _host = await SlackInteractionHost.StartAsync(new()
        {
            ["AlertRelay:Database:Provider"] = "postgres",
            ["AlertRelay:Database:ConnectionString"] = connectionString,
        });
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Post_AcknowledgesOnceAndUpdatesTheMessage_WhenSlackRetriesOnPostgres()
    {
        var id = await _host.FireAsync();

        var first = await _host.ClickAsync("ack", id.ToString());
        var retry = await _host.ClickAsync("ack", id.ToString(), retryNum: "1"); // Slack's retry: answered 200, done once, told once

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.OK, retry.Status);
        await _host.AssertAcknowledgedFromSlackAsync(id);
    }
}
