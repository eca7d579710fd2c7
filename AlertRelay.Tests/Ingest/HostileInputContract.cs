using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AlertRelay.Core.Ingest;
using AlertRelay.Tests.Api;
using AlertRelay.Tests.TestData;
using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace AlertRelay.Tests.Ingest;

/// <summary>
/// The hostile input corpus (TestData/hostile/, outcomes in its cases.json) and the big generated bodies, posted through the
/// real host on each store (a SQLite file, a PostgreSQL database): every case gets its exact status, a rejected body names its field and stores nothing,
/// an accepted odd value comes back from the API exactly as sent, and a captured Alertmanager body is still accepted after each.
/// </summary>
public abstract class HostileInputContract(HostileInputContract.Host host)
{
    private const int DefaultMaxBodyBytes = 4 * 1024 * 1024;

    /// <summary>One host for the whole corpus: the cases run one after another (one test class), each against the rows it changed.</summary>
    public abstract class Host : IAsyncLifetime
    {
        public AlertRelayApp App { get; private set; } = null!;

        public HttpClient Webhook { get; private set; } = null!;

        public HttpClient Reader { get; private set; } = null!;

        protected abstract Task<AlertRelayApp> CreateAppAsync();

        /// <summary>A connection to the store, for counting rows.</summary>
        public abstract DbConnection OpenStore();

        public async Task InitializeAsync()
        {
            App = await CreateAppAsync();
            Webhook = App.WebhookClient();
            Reader = App.ReaderClient();
            (await Reader.GetAsync("/readyz")).EnsureSuccessStatusCode();
        }

        public Task DisposeAsync()
        {
            App.Dispose();
            return Task.CompletedTask;
        }
    }

    private sealed record Rows(long Occurrences, long Events, long Notifications, long LastOccurrenceId);

    private async Task<Rows> RowsAsync()
    {
        await using var connection = host.OpenStore();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT (SELECT count(*) FROM alert_occurrences), (SELECT count(*) FROM alert_events),
                   (SELECT count(*) FROM notifications), (SELECT coalesce(max(id), 0) FROM alert_occurrences)
            """;
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new Rows(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
    }

    private Task<HttpResponseMessage> PostAsync(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        return host.Webhook.PostAsync("/webhook", content);
    }

    /// <summary>The process stays up: a body captured from a real Alertmanager is still accepted.</summary>
    private async Task AssertStillAcceptsACapturedBodyAsync(string after)
    {
        var response = await PostAsync(Fixtures.Bytes(Fixtures.FiringSingle));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"after {after}: a captured Alertmanager body got {(int)response.StatusCode}");
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, int status, string field, string? messageContains, string what)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"{what}: expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(text.Length < 16_384, $"{what}: the problem details are {text.Length} chars; an answer must stay small whatever was sent");
        using var problem = JsonDocument.Parse(text);
        Assert.Equal(status, problem.RootElement.GetProperty("status").GetInt32());
        var errors = problem.RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"{what}: no error names {field}: {text}");
        if (messageContains is not null)
        {
            Assert.True(messages.EnumerateArray().Any(m => m.GetString()!.Contains(messageContains, StringComparison.Ordinal)),
                $"{what}: no message for {field} mentions \"{messageContains}\": {text}");
        }
    }

    private async Task<JsonElement> OccurrenceAsync(long id)
    {
        var detail = await host.Reader.GetFromJsonAsync<JsonElement>($"/api/alerts/{id}");
        return detail.GetProperty("alert");
    }

    private static Dictionary<string, string> StringMap(JsonElement element) =>
        element.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);

    public static TheoryData<string> Files => HostileCorpus.Files;

    [Fact]
    public void Corpus_HasAManifestEntryForEveryFile_AndAFileForEveryEntry()
    {
        Assert.Equal(HostileCorpus.BodyFiles, HostileCorpus.ListedFiles);
        Assert.All(HostileCorpus.Cases, c => Assert.True(c.IsRejected ? c.Field is not null && c.Stored.Count == 0 : c.Status == 200, c.ToString()));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Post_GivesTheOutcomeOfTheManifest_AndTheProcessStaysUp(string file)
    {
        var hostile = HostileCorpus.Case(file);
        var before = await RowsAsync();

        var response = await PostAsync(HostileCorpus.Bytes(file));

        if (hostile.IsRejected)
        {
            await AssertProblemAsync(response, hostile.Status, hostile.Field!, hostile.MessageContains, hostile.ToString());
            Assert.Equal(before, await RowsAsync());
        }
        else
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{hostile}: expected 200, got {(int)response.StatusCode}: {text}");
            using var accepted = JsonDocument.Parse(text);
            Assert.Equal(hostile.Stored.Count, accepted.RootElement.GetProperty("created").GetInt32());
            await AssertStoredExactlyAsync(hostile, before.LastOccurrenceId);
        }

        await AssertStillAcceptsACapturedBodyAsync(file);
    }

    /// <summary>The occurrences created after <paramref name="lastIdBefore"/> are exactly the expected ones, value for value.</summary>
    private async Task AssertStoredExactlyAsync(HostileCase hostile, long lastIdBefore)
    {
        var after = await RowsAsync();
        var created = new List<JsonElement>();
        for (var id = lastIdBefore + 1; id <= after.LastOccurrenceId; id++)
        {
            created.Add(await OccurrenceAsync(id));
        }

        Assert.Equal(hostile.Stored.Count, created.Count);
        foreach (var expected in hostile.Stored)
        {
            var labels = StringMap(expected.GetProperty("labels"));
            var occurrence = Assert.Single(created, o => Equivalent(labels, StringMap(o.GetProperty("labels"))));

            // Byte for byte: ordinal string equality of every name and value, NULs, surrogate pairs and markup included.
            Assert.Equal(labels, StringMap(occurrence.GetProperty("labels")));
            Assert.Equal(StringMap(expected.GetProperty("annotations")), StringMap(occurrence.GetProperty("annotations")));
            // alertname and severity are also copied to columns of their own: they must survive the round trip too.
            Assert.Equal(labels.GetValueOrDefault("alertname", ""), occurrence.GetProperty("alertname").GetString());
            Assert.Equal(labels.GetValueOrDefault("severity", ""), occurrence.GetProperty("severity").GetString());
            foreach (var member in expected.EnumerateObject().Where(m => m.Name is not "labels" and not "annotations"))
            {
                var actual = occurrence.GetProperty(member.Name);
                if (member.Name is "startsAt" or "endsAt" && member.Value.ValueKind == JsonValueKind.String)
                {
                    Assert.Equal(member.Value.GetDateTimeOffset(), actual.GetDateTimeOffset());
                }
                else
                {
                    Assert.True(JsonElement.DeepEquals(member.Value, actual), $"{hostile}: {member.Name} is {actual}, expected {member.Value}");
                }
            }
        }
    }

    private static bool Equivalent(Dictionary<string, string> a, Dictionary<string, string> b) =>
        a.Count == b.Count && a.All(pair => b.TryGetValue(pair.Key, out var value) && string.Equals(value, pair.Value, StringComparison.Ordinal));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Post_Answers413AndStoresNothing_WhenTheBodyIs10MB(bool chunked)
    {
        var before = await RowsAsync();
        var content = chunked
            ? new StreamContent(new MemoryStream(HostileBodies.Oversized(10 * 1024 * 1024)))
            : (HttpContent)new ByteArrayContent(HostileBodies.Oversized(10 * 1024 * 1024));
        content.Headers.ContentType = new("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhook") { Content = content };
        request.Headers.TransferEncodingChunked = chunked;

        var response = await host.Webhook.SendAsync(request);

        await AssertProblemAsync(response, 413, "body", "bytes", chunked ? "10 MB chunked" : "10 MB with Content-Length");
        Assert.Equal(before, await RowsAsync());
        await AssertStillAcceptsACapturedBodyAsync("a 10 MB body");
    }

    [Fact]
    public async Task Post_AcceptsABodyOfExactlyMaxBodyBytes_And413sOneByteMore()
    {
        var body = HostileBodies.OneAlert(new Dictionary<string, string> { ["alertname"] = "AtTheLimit" }, new Dictionary<string, string>());

        var atLimit = await PostAsync(HostileBodies.PaddedTo(body, DefaultMaxBodyBytes));
        var overLimit = await PostAsync(HostileBodies.PaddedTo(body, DefaultMaxBodyBytes + 1));

        Assert.Equal(HttpStatusCode.OK, atLimit.StatusCode);
        await AssertProblemAsync(overLimit, 413, "body", null, "one byte over the limit");
    }

    [Fact]
    public async Task Post_StoresEveryAlert_When10000AlertsComeInOneBodyUnderTheLimit()
    {
        // Alertmanager sends a whole group in one notification (max_alerts 0 = unlimited): a big group is normal, not hostile.
        var body = HostileBodies.ManyAlerts("TenThousand", 10_000);
        Assert.InRange(body.Length, 3_000_000, DefaultMaxBodyBytes);
        var before = await RowsAsync();

        var response = await PostAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"alerts":10000,"created":10000,"changed":0,"duplicates":0}""", await response.Content.ReadAsStringAsync());
        var after = await RowsAsync();
        Assert.Equal(before.Occurrences + 10_000, after.Occurrences);
        var last = await OccurrenceAsync(after.LastOccurrenceId);
        Assert.Equal("TenThousand", last.GetProperty("alertname").GetString());
        Assert.StartsWith("node-", last.GetProperty("labels").GetProperty("instance").GetString());
        await AssertStillAcceptsACapturedBodyAsync("10,000 alerts");
    }

    [Fact]
    public async Task Post_StoresAndReturnsEveryLabel_WhenOneAlertHas1000Labels()
    {
        var labels = Enumerable.Range(0, 999).ToDictionary(i => $"label_{i:D4}", i => $"value {i} \u00e9\U0001F525", StringComparer.Ordinal);
        labels["alertname"] = "ThousandLabels";
        var before = await RowsAsync();

        var response = await PostAsync(HostileBodies.OneAlert(labels, new Dictionary<string, string> { ["summary"] = "1,000 labels" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = await OccurrenceAsync((await RowsAsync()).LastOccurrenceId);
        Assert.Equal(before.Occurrences + 1, (await RowsAsync()).Occurrences);
        Assert.Equal(1000, labels.Count);
        Assert.Equal(labels, StringMap(stored.GetProperty("labels")));
        await AssertStillAcceptsACapturedBodyAsync("1,000 labels");
    }

    [Fact]
    public async Task Post_StoresAndReturnsExactly_WhenALabelAndAnAnnotationAre1MB()
    {
        var label = string.Concat(Enumerable.Repeat("0123456789abcdef'\"<>\\\u00e9\U0001F525", 1024 * 1024 / 24));
        var annotation = new string('d', 1024 * 1024);
        var labels = new Dictionary<string, string> { ["alertname"] = "HugeValue", ["huge"] = label };
        var annotations = new Dictionary<string, string> { ["description"] = annotation };

        var response = await PostAsync(HostileBodies.OneAlert(labels, annotations));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = await OccurrenceAsync((await RowsAsync()).LastOccurrenceId);
        Assert.True(Encoding.UTF8.GetByteCount(label) > 1_000_000);
        Assert.Equal(label, stored.GetProperty("labels").GetProperty("huge").GetString());
        Assert.Equal(annotation, stored.GetProperty("annotations").GetProperty("description").GetString());
        await AssertStillAcceptsACapturedBodyAsync("1 MB values");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Post_Answers400AndStoresNothing_When100000ArraysAreNested(bool asLabelValue)
    {
        var before = await RowsAsync();

        var response = await PostAsync(HostileBodies.NestedArrays(100_000, asLabelValue));

        await AssertProblemAsync(response, 400, "$", "depth", asLabelValue ? "100,000 nested arrays as a label value" : "100,000 nested arrays in an unknown member");
        Assert.Equal(before, await RowsAsync());
        await AssertStillAcceptsACapturedBodyAsync("100,000 nested arrays");
    }

    [Fact]
    public async Task Post_Answers400WithoutEchoingIt_WhenALabelNameOf100000CharactersHasABadValue()
    {
        var name = new string('n', 100_000);
        var body = Encoding.UTF8.GetBytes(
            $$"""{"version":"4","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"LongName","{{name}}":42},"startsAt":"{{HostileBodies.StartsAt}}"}]}""");

        var response = await PostAsync(body);

        // AssertProblemAsync also holds the answer under 16 KB.
        await AssertProblemAsync(response, 400, $"alerts[0].labels.{name[..64]}… (100000 chars)", "must be a string", "a 100,000-character label name");
        await AssertStillAcceptsACapturedBodyAsync("a 100,000-character label name");
    }

    [Fact]
    public async Task Post_ReportsAtMostMaxErrors_WhenFourMegabytesOfBrokenAlertsArrive()
    {
        // 1.4 million empty alerts, three errors each: reporting them all would answer (and log) hundreds of megabytes.
        var before = await RowsAsync();

        var response = await PostAsync(HostileBodies.BrokenAlerts(DefaultMaxBodyBytes - 64));

        await AssertProblemAsync(response, 400, "alerts[0].labels", null, "4 MB of broken alerts");
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var reported = problem.RootElement.GetProperty("errors").EnumerateObject().Sum(e => e.Value.GetArrayLength());
        Assert.InRange(reported, WebhookParser.MaxErrors, WebhookParser.MaxErrors + 3);
        Assert.Equal(before, await RowsAsync());
        await AssertStillAcceptsACapturedBodyAsync("4 MB of broken alerts");
    }
}

public sealed class HostileInputOnSqlite(HostileInputOnSqlite.SqliteHost host) : HostileInputContract(host), IClassFixture<HostileInputOnSqlite.SqliteHost>
{
    public sealed class SqliteHost : Host
    {
        protected override Task<AlertRelayApp> CreateAppAsync() => Task.FromResult(new AlertRelayApp());

        public override DbConnection OpenStore() => new SqliteConnection($"Data Source={App.DatabasePath};Mode=ReadOnly;Pooling=False");
    }
}

/// <summary>PostgreSQL keeps no U+0000 in text or jsonb: the NUL cases prove the exact copies (PostgresText) round-trip.</summary>
public sealed class HostileInputOnPostgres(HostileInputOnPostgres.PostgresHost host) : HostileInputContract(host), IClassFixture<HostileInputOnPostgres.PostgresHost>
{
    public sealed class PostgresHost : Host
    {
        private string _connectionString = "";

        protected override async Task<AlertRelayApp> CreateAppAsync()
        {
            _connectionString = await (await PostgresCluster.Shared).CreateDatabaseAsync("hostile");
            return new AlertRelayApp(new Dictionary<string, string?>
            {
                ["AlertRelay:Database:Provider"] = "postgres",
                ["AlertRelay:Database:ConnectionString"] = _connectionString,
            });
        }

        public override DbConnection OpenStore() => new Npgsql.NpgsqlConnection(_connectionString);
    }
}
