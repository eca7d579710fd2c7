using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AlertRelay.Tests.TestData;

namespace AlertRelay.Tests.Api;

/// <summary>
/// The real host with Slack interactivity: a loopback Slack (Web API and response_urls), a receiver posting through it, a signing
/// secret, and clicks sent as Slack sends them (form field payload, signed, from a chosen remote address).
/// </summary>
public sealed class SlackInteractionHost : IAsyncDisposable
{
    public const string SigningSecret = "test-signing-secret";
    public const int MaxFailures = 3;

    private readonly string _configPath;

    private SlackInteractionHost(SlackStub slack, AlertRelayApp app, string configPath)
    {
        Slack = slack;
        App = app;
        _configPath = configPath;
    }

    public SlackStub Slack { get; }

    public AlertRelayApp App { get; }

    /// <summary>Starts Slack and the host; <paramref name="settings"/> are added (the engine), <paramref name="withSecret"/> false leaves interactivity off.</summary>
    public static async Task<SlackInteractionHost> StartAsync(Dictionary<string, string?>? settings = null, bool withSecret = true)
    {
        var slack = await SlackStub.StartAsync();
        var configPath = Path.Combine(Path.GetTempPath(), "alertrelay-tests", Guid.NewGuid().ToString("N") + ".yml");
        Directory.CreateDirectory(Path.GetDirectoryName(configPath)!);
        await File.WriteAllTextAsync(configPath, $"""
            route:
              receiver: oncall
            receivers:
              - name: oncall
                slack_configs:
                  - channel: '#alerts-critical'
                    bot_token: {slack.Token}
                    api_base_url: {slack.BaseUrl}
                    send_resolved: true
            """);
        var all = new Dictionary<string, string?>
        {
            ["AlertRelay:ConfigFile"] = configPath,
            ["AlertRelay:Notify:InitialBackoffSeconds"] = "0.2",
            ["AlertRelay:Notify:MaxBackoffSeconds"] = "1",
            ["AlertRelay:Slack:MaxVerificationFailures"] = MaxFailures.ToString(CultureInfo.InvariantCulture),
        };
        if (withSecret)
        {
            var secretFile = configPath + ".secret";
            await File.WriteAllTextAsync(secretFile, SigningSecret + "\n"); // as a mounted secret: read from the file, trimmed
            all["AlertRelay:Slack:SigningSecretFile"] = secretFile;
        }

        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        return new SlackInteractionHost(slack, new AlertRelayApp(all), configPath);
    }

    /// <summary>Posts a webhook fixture.</summary>
    public async Task PostAsync(string fixture) =>
        (await App.WebhookClient().PostAsync("/webhook", new StringContent(Fixtures.Text(fixture), Encoding.UTF8, "application/json")))
        .EnsureSuccessStatusCode();

    /// <summary>A firing alert, announced in Slack: its occurrence id.</summary>
    public async Task<long> FireAsync()
    {
        await PostAsync(Fixtures.FiringSingle);
        await WaitAsync(() => Slack.TopLevelMessages.Count == 1, "the firing message in Slack");
        var items = (await App.ReaderClient().GetFromJsonAsync<JsonElement>("/api/alerts")).GetProperty("items");
        return items[0].GetProperty("id").GetInt64();
    }

    /// <summary>The occurrence as the API shows it: the alert and its timeline.</summary>
    public async Task<JsonElement> AlertAsync(long id) => await App.ReaderClient().GetFromJsonAsync<JsonElement>($"/api/alerts/{id}");

    public async Task<List<JsonElement>> EventsAsync(long id, string kind) =>
        [.. (await AlertAsync(id)).GetProperty("events").EnumerateArray().Where(e => e.GetProperty("kind").GetString() == kind)];

    public async Task<int> NotificationCountAsync(string status) =>
        (await App.ReaderClient().GetFromJsonAsync<JsonElement>($"/api/notifications?status={status}")).GetArrayLength();

    /// <summary>The texts posted to response_urls (the ephemeral answers), in order.</summary>
    public IReadOnlyList<string> Answers => [.. Slack.Responses.Select(r => r.Field("text") ?? "")];

    public static Task WaitAsync(Func<bool> condition, string what) => Eventually.UntilAsync(condition, TimeSpan.FromSeconds(20), what);

    public static Task WaitAsync(Func<Task<bool>> condition, string what) => Eventually.UntilAsync(condition, TimeSpan.FromSeconds(20), what);

    /// <summary>A block_actions payload as Slack sends it for a click on <paramref name="actionId"/>.</summary>
    public JsonObject Payload(string actionId, string? value, string userId = "U123ALICE", string userName = "alice") => new()
    {
        ["type"] = "block_actions",
        ["user"] = new JsonObject { ["id"] = userId, ["username"] = userName, ["name"] = userName, ["team_id"] = "T000" },
        ["api_app_id"] = "A000",
        ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = "1732560000.000100", ["channel_id"] = SlackStub.ChannelId },
        ["trigger_id"] = "1.2.3",
        ["response_url"] = Slack.ResponseUrl($"T000/{userId}/{Guid.NewGuid():N}"),
        ["actions"] = new JsonArray(new JsonObject
        {
            ["type"] = "button", ["action_id"] = actionId, ["block_id"] = "alertrelay-oncall", ["value"] = value, ["action_ts"] = "1732560100.000200",
        }),
    };

    /// <summary>Sends a click; <paramref name="signature"/> replaces the computed one, <paramref name="at"/> the timestamp.</summary>
    public Task<(HttpStatusCode Status, string Body)> ClickAsync(
        string actionId, string? value, string userId = "U123ALICE", string userName = "alice", string? retryNum = null, string remote = "203.0.113.7") =>
        SendAsync("payload=" + Uri.EscapeDataString(Payload(actionId, value, userId, userName).ToJsonString()), retryNum: retryNum, remote: remote);

    public async Task<(HttpStatusCode Status, string Body)> SendAsync(
        string body, string? secret = SigningSecret, DateTimeOffset? at = null, string? signature = null, string? retryNum = null, string remote = "203.0.113.7")
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var context = await App.Server.SendAsync(http =>
        {
            http.Request.Method = "POST";
            http.Request.Path = "/slack/interactions";
            http.Request.ContentType = "application/x-www-form-urlencoded";
            http.Request.ContentLength = bytes.Length;
            http.Request.Body = new MemoryStream(bytes);
            if (secret is not null)
            {
                http.Request.Headers["X-Slack-Request-Timestamp"] = timestamp;
                http.Request.Headers["X-Slack-Signature"] = signature ?? Sign(secret, timestamp, body);
            }

            if (retryNum is not null)
            {
                http.Request.Headers["X-Slack-Retry-Num"] = retryNum;
                http.Request.Headers["X-Slack-Retry-Reason"] = "http_timeout";
            }

            http.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        });
        var text = await new StreamReader(context.Response.Body).ReadToEndAsync();
        return ((HttpStatusCode)context.Response.StatusCode, text);
    }

    // Computed here, not by the code under test.
    public static string Sign(string secret, string timestamp, string body) =>
        "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"v0:{timestamp}:{body}")));

    /// <summary>
    /// The whole loop after a good click on Acknowledge: the timeline names the Slack user and source, the message says who, offers
    /// Unacknowledge, has the thread reply, and the person got the ephemeral answer.
    /// </summary>
    public async Task AssertAcknowledgedFromSlackAsync(long id)
    {
        var acknowledged = Assert.Single(await EventsAsync(id, "acknowledged"));
        var detail = acknowledged.GetProperty("detail");
        Assert.Equal("alice", detail.GetProperty("by").GetString());
        Assert.Equal("U123ALICE", detail.GetProperty("byId").GetString());
        Assert.Equal("slack", detail.GetProperty("via").GetString());
        Assert.Equal("alice", (await AlertAsync(id)).GetProperty("alert").GetProperty("ack").GetProperty("by").GetString());

        await WaitAsync(() => Slack.TopLevelMessages[0].Replies.Count == 1, "the thread reply of the update");
        var message = Slack.TopLevelMessages[0];
        Assert.Contains("Acknowledged by *alice*", message.AllText);
        Assert.Contains("\nUnacknowledge\n", message.AllText + "\n");
        Assert.Contains("*Acknowledged* by *alice*", message.Replies[0].Text);
        var update = Assert.Single(Slack.Requests, r => r.Path == SlackStub.UpdatePath);
        Assert.Equal(message.Ts, update.Field("ts"));

        await WaitAsync(() => Slack.Responses.Count == 1, "the ephemeral answer");
        var answer = Slack.Responses[0].Json!.AsObject();
        Assert.Equal("ephemeral", answer["response_type"]!.GetValue<string>());
        Assert.False(answer["replace_original"]!.GetValue<bool>());
        Assert.Equal("Acknowledged by alice.", answer["text"]!.GetValue<string>());
    }

    public async ValueTask DisposeAsync()
    {
        App.Dispose();
        await Slack.DisposeAsync();
        File.Delete(_configPath);
        File.Delete(_configPath + ".secret");
    }
}
