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

/// <summary>The alert page of signed links on the real host: GET shows and never acts; POST acts once; refusals are clear 4xx pages.</summary>
[Collection(MetricsRegistryCollection.Name)]
public sealed class AlertPageEndpointTests : IAsyncLifetime
{
    private const string Secret = "test-links-secret-of-at-least-32-bytes!";
    private const string PublicUrl = "https://relay.example.com";

    // Labels and annotations from outside: markup and quotes that must come out as text.
    private const string HostileWebhook = """
        {"receiver":"relay","status":"firing","alerts":[
          {"status":"firing","labels":{"alertname":"DiskFull","severity":"critical","instance":"<script>alert(1)</script>","team":"a\"b'c"},
           "annotations":{"summary":"Disk <b>full</b> on \"db-1\"","description":"free < 1%","runbook":"<img src=x onerror=alert(2)>"},
           "startsAt":"2026-12-04T10:00:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"","fingerprint":"1"}],
         "groupLabels":{},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://127.0.0.1:9093","version":"4","groupKey":"{}","truncatedAlerts":0}
        """;

    private readonly AlertRelayApp _app = new(new() { ["AlertRelay:Links:Secret"] = Secret, ["AlertRelay:PublicUrl"] = PublicUrl });
    private HttpClient _browser = null!;
    private long _firingId;
    private long _resolvedId;

    public async Task InitializeAsync()
    {
        foreach (var body in new[] { HostileWebhook, Fixtures.Text(Fixtures.GroupOneFiringOneResolved) })
        {
            (await _app.WebhookClient().PostAsync("/webhook", new StringContent(body, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        }

        var items = (await _app.ReaderClient().GetFromJsonAsync<JsonElement>("/api/alerts")).GetProperty("items").EnumerateArray().ToList();
        _firingId = items.Single(a => a.GetProperty("alertname").GetString() == "DiskFull").GetProperty("id").GetInt64();
        _resolvedId = items.Single(a => a.GetProperty("status").GetString() == "resolved").GetProperty("id").GetInt64();
        _browser = _app.CreateClient(new() { AllowAutoRedirect = false });
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    private AlertLinks Links => Assert.IsType<AlertLinks>(_app.Services.GetRequiredService<IAlertLinks>());

    private string ActionLink(long id, OncallActionKind kind) => Links.Action(id, kind, DateTimeOffset.UtcNow)!.PathAndQuery;

    private static Dictionary<string, string> Fields(string link, string? by = "Alice")
    {
        var query = QueryHelpers.ParseQuery(new Uri(new Uri(PublicUrl), link).Query);
        var fields = new Dictionary<string, string> { ["action"] = query["action"]!, ["exp"] = query["exp"]!, ["sig"] = query["sig"]! };
        if (by is not null)
        {
            fields["by"] = by;
        }

        return fields;
    }

    private Task<HttpResponseMessage> PostAsync(long id, Dictionary<string, string> fields) =>
        _browser.PostAsync($"/alerts/{id}", new FormUrlEncodedContent(fields));

    private async Task<JsonElement> AlertAsync(long id) =>
        (await _app.ReaderClient().GetFromJsonAsync<JsonElement>($"/api/alerts/{id}")).GetProperty("alert");

    private async Task<string[]> TimelineAsync(long id) =>
        (await _app.ReaderClient().GetFromJsonAsync<JsonElement>($"/api/alerts/{id}")).GetProperty("events").EnumerateArray()
            .Select(e => e.GetProperty("kind").GetString()!).ToArray();

    /// <summary>
    /// The on-call events of the timeline (what a page could add): the rest of it (notification attempts) changes on the
    /// dispatcher's schedule, not the test's.
    /// </summary>
    private async Task<string[]> OncallEventsAsync(long id) =>
        (await TimelineAsync(id)).Where(k => k is "acknowledged" or "unacknowledged" or "silenced" or "unsilenced").ToArray();

    [Fact]
    public async Task Get_ShowsTheAlertAndItsButton_AndChangesNothing_EvenWhenFetchedTwice()
    {
        var link = ActionLink(_firingId, OncallActionKind.Acknowledge);

        var first = await _browser.GetAsync(link);
        var second = await _browser.GetAsync(link);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
        var html = await second.Content.ReadAsStringAsync();
        Assert.Contains("<button type=\"submit\">Acknowledge</button>", html);
        Assert.Contains("<label for=\"by-acknowledge\">Your name</label>", html);
        Assert.Contains("name=\"viewport\"", html);
        Assert.Empty(await OncallEventsAsync(_firingId));
        Assert.Equal(JsonValueKind.Null, (await AlertAsync(_firingId)).GetProperty("ack").ValueKind);
    }

    [Fact]
    public async Task Get_SendsNoStoreNoReferrerAndAStrictPolicy()
    {
        var response = await _browser.GetAsync(ActionLink(_firingId, OncallActionKind.Acknowledge));

        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.StartsWith("default-src 'none'; style-src 'nonce-", policy);
        Assert.DoesNotContain("script-src", policy);
        var nonce = policy.Split("'nonce-")[1].Split('\'')[0];
        Assert.Contains($"<style nonce=\"{nonce}\">", await response.Content.ReadAsStringAsync());
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Get_EscapesEveryLabelAndAnnotation()
    {
        var html = await (await _browser.GetAsync(ActionLink(_firingId, OncallActionKind.Acknowledge))).Content.ReadAsStringAsync();

        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain("<img", html);
        Assert.DoesNotContain("<b>full</b>", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.Contains("a&quot;b&#39;c", html);
        Assert.Contains("Disk &lt;b&gt;full&lt;/b&gt; on &quot;db-1&quot;", html);
        Assert.Contains("&lt;img src=x onerror=alert(2)&gt;", html);
    }

    [Fact]
    public async Task Get_OffersAcknowledgeAndSilence_ForAViewLink()
    {
        var html = await (await _browser.GetAsync(Links.Page(_firingId, DateTimeOffset.UtcNow)!.PathAndQuery)).Content.ReadAsStringAsync();

        Assert.Contains(">Acknowledge</button>", html);
        Assert.Contains(">Silence 1h</button>", html);
        Assert.DoesNotContain(">Unacknowledge</button>", html);
        Assert.Contains("name=\"action\" value=\"acknowledge\"", html);
        Assert.Contains("name=\"action\" value=\"silence-1h\"", html);
    }

    [Fact]
    public async Task Post_AcknowledgesAsTheNamedPersonViaLink_ThenTheLinkIsUsed()
    {
        var link = ActionLink(_firingId, OncallActionKind.Acknowledge);

        var done = await PostAsync(_firingId, Fields(link, by: "  Alice  "));
        var again = await PostAsync(_firingId, Fields(link, by: "Bob"));
        var visit = await _browser.GetAsync(link);

        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Contains("Acknowledged by Alice.", await done.Content.ReadAsStringAsync());
        Assert.Equal("Alice", (await AlertAsync(_firingId)).GetProperty("ack").GetProperty("by").GetString());
        Assert.Equal((HttpStatusCode.Gone, HttpStatusCode.Gone), (again.StatusCode, visit.StatusCode));
        Assert.Contains("already used", await visit.Content.ReadAsStringAsync());
        Assert.Single(await TimelineAsync(_firingId), k => k == "acknowledged");
        var page = await (await _browser.GetAsync(Links.Page(_firingId, DateTimeOffset.UtcNow)!.PathAndQuery)).Content.ReadAsStringAsync();
        Assert.Contains("by Alice at", page);
        Assert.Contains("via link", page);
        Assert.Contains(">Unacknowledge</button>", page);
    }

    [Fact]
    public async Task Post_GivesOneAcknowledgement_WhenTheSameLinkIsPostedTwiceAtOnce()
    {
        var fields = Fields(ActionLink(_firingId, OncallActionKind.Acknowledge));

        var responses = await Task.WhenAll(PostAsync(_firingId, fields), PostAsync(_firingId, fields));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Gone], responses.Select(r => r.StatusCode).Order());
        Assert.Single(await TimelineAsync(_firingId), k => k == "acknowledged");
    }

    [Fact]
    public async Task Post_SaysSilencesAreUnavailable_AndKeepsTheLinkUsable_WhenSilencesAreNotConfigured()
    {
        var fields = Fields(ActionLink(_firingId, OncallActionKind.Silence));

        var first = await PostAsync(_firingId, fields);
        var second = await PostAsync(_firingId, fields);

        Assert.Equal((HttpStatusCode.Conflict, HttpStatusCode.Conflict), (first.StatusCode, second.StatusCode));
        Assert.Contains(WebUtility.HtmlEncode(NoSilencer.Reason), await second.Content.ReadAsStringAsync());
        Assert.Empty(await OncallEventsAsync(_firingId));
    }

    [Fact]
    public async Task Get_ShowsNoButton_WhenTheAlertIsResolved()
    {
        var response = await _browser.GetAsync(ActionLink(_resolvedId, OncallActionKind.Acknowledge));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("This alert is resolved: there is nothing to do.", html);
        Assert.DoesNotContain("<form", html);
    }

    [Fact]
    public async Task Post_SaysTheAlertIsResolved_WhenAcknowledgingAResolvedAlert()
    {
        var response = await PostAsync(_resolvedId, Fields(ActionLink(_resolvedId, OncallActionKind.Acknowledge)));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("This alert is resolved: there is nothing to acknowledge.", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public async Task Post_AsksForAName_AndChangesNothing_WhenNoneIsGiven(string? by)
    {
        var link = ActionLink(_firingId, OncallActionKind.Acknowledge);

        var response = await PostAsync(_firingId, Fields(link, by));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Enter your name", await response.Content.ReadAsStringAsync());
        Assert.Empty(await OncallEventsAsync(_firingId));
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(_firingId, Fields(link))).StatusCode); // the link was not used up
    }

    public static TheoryData<string, HttpStatusCode, string> Refused => new()
    {
        { "tampered", HttpStatusCode.Forbidden, "does not match" },
        { "expired", HttpStatusCode.Gone, "has expired" },
        { "malformed", HttpStatusCode.BadRequest, "missing parts" },
    };

    private Dictionary<string, string> RefusedFields(string kind)
    {
        var fields = Fields(ActionLink(_firingId, OncallActionKind.Acknowledge));
        switch (kind)
        {
            case "tampered":
                fields["exp"] = (long.Parse(fields["exp"]) + 3600).ToString();
                break;
            case "expired":
                var old = new AlertLinks(Encoding.UTF8.GetBytes(Secret), PublicUrl, TimeSpan.FromHours(24))
                    .Action(_firingId, OncallActionKind.Acknowledge, DateTimeOffset.UtcNow.AddHours(-25))!;
                fields = Fields(old.PathAndQuery);
                break;
            default:
                fields["sig"] = "not-a-signature";
                break;
        }

        return fields;
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task GetAndPost_AnswerAClearPage_AndChangeNothing_WhenTheLinkDoesNotVerify(string kind, HttpStatusCode status, string sentence)
    {
        var fields = RefusedFields(kind);
        var before = await FailuresAsync(kind);

        var get = await _browser.GetAsync($"/alerts/{_firingId}?{string.Join('&', fields.Where(f => f.Key != "by").Select(f => $"{f.Key}={Uri.EscapeDataString(f.Value)}"))}");
        var post = await PostAsync(_firingId, fields);

        Assert.Equal((status, status), (get.StatusCode, post.StatusCode));
        Assert.Contains(sentence, await post.Content.ReadAsStringAsync());
        Assert.Equal("text/html", post.Content.Headers.ContentType!.MediaType);
        Assert.Empty(await OncallEventsAsync(_firingId));
        Assert.Equal(before + 2, await FailuresAsync(kind));
    }

    /// <summary>The failure counter on /metrics (the registry outlives one host in the test process: compare before and after).</summary>
    private async Task<double> FailuresAsync(string reason)
    {
        var metrics = await _app.CreateClient().GetStringAsync("/metrics");
        var match = System.Text.RegularExpressions.Regex.Match(
            metrics, $@"(?m)^alertrelay_link_verification_failures_total\{{reason=""{reason}""\}} (\S+)$");
        return match.Success ? double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    [Fact]
    public async Task Get_Answers429_AfterTooManyFailuresFromOneAddress_EvenForAGoodLink()
    {
        var limiter = _app.Services.GetRequiredService<LinkFailureLimiter>();
        for (var i = 0; i < limiter.MaxFailures; i++)
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(_firingId, RefusedFields("tampered"))).StatusCode);
        }

        var limited = await _browser.GetAsync(ActionLink(_firingId, OncallActionKind.Acknowledge));

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Contains("Too many links from your address", await limited.Content.ReadAsStringAsync());
        Assert.NotNull(limited.Headers.RetryAfter);
    }

    [Fact]
    public async Task Post_AnswersTheMalformedPage_WhenTheBodyIsNoForm()
    {
        var json = await _browser.PostAsync($"/alerts/{_firingId}", new StringContent("{\"action\":\"acknowledge\"}", Encoding.UTF8, "application/json"));
        var huge = await _browser.PostAsync($"/alerts/{_firingId}", new FormUrlEncodedContent(
            Enumerable.Range(0, 2000).Select(i => KeyValuePair.Create($"k{i}", "v"))));

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (json.StatusCode, huge.StatusCode));
        Assert.Contains("missing parts", await huge.Content.ReadAsStringAsync());
        Assert.Empty(await OncallEventsAsync(_firingId));
    }

    [Fact]
    public async Task Post_ChangesNothing_WithAViewToken()
    {
        var response = await PostAsync(_firingId, Fields(Links.Page(_firingId, DateTimeOffset.UtcNow)!.PathAndQuery));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("This link only shows the alert", await response.Content.ReadAsStringAsync());
        Assert.Empty(await OncallEventsAsync(_firingId));
    }

    [Fact]
    public async Task Get_Answers404Page_WhenTheAlertIsGone()
    {
        var response = await _browser.GetAsync(ActionLink(999_999, OncallActionKind.Acknowledge));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("no longer exists", await response.Content.ReadAsStringAsync());
    }
}
