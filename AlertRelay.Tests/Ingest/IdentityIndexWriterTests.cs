using AlertRelay.Core.Alerts;
using AlertRelay.Core.Dedup;
using AlertRelay.Core.History;
using AlertRelay.Core.Ingest;
using AlertRelay.Tests.TestData;
using Dapper;
using Microsoft.Extensions.Time.Testing;

namespace AlertRelay.Tests.Ingest;

/// <summary>
/// Deduplication decides from an in-memory index of the newest occurrence per fingerprint: it must agree with the
/// store after a restart, after retention deleted occurrences, and when rows were written behind its back.
/// </summary>
public abstract class IdentityIndexWriterContract : StoreContract
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 22, 33, 0, TimeSpan.Zero));

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = Store.Open();
        return await connection.ExecuteScalarAsync<long>(sql);
    }

    [Fact]
    public async Task AfterARestart_ReSendsAreDuplicates_AndAResolveOrRefireFindsTheStoredOccurrence()
    {
        await using (var first = new RunningWriter(Store.CreateWriter(_time)))
        {
            Assert.Equal(new IngestResult(2, 2, 0, 0), await first.SubmitAsync(Fixtures.Bytes(Fixtures.FiringGroupOfTwo)));
            Assert.Equal(new IngestResult(1, 1, 0, 0), await first.SubmitAsync(Fixtures.Bytes(Fixtures.FiringSingle)));
        }

        await using var second = new RunningWriter(Store.CreateWriter(_time));

        Assert.Equal(new IngestResult(2, 0, 0, 2), await second.SubmitAsync(Fixtures.Bytes(Fixtures.FiringGroupOfTwo)));
        Assert.Equal(new IngestResult(1, 0, 1, 0), await second.SubmitAsync(Fixtures.Bytes(Fixtures.ResolvedSingle)));
        Assert.Equal(new IngestResult(1, 1, 0, 0), await second.SubmitAsync(Fixtures.Bytes(Fixtures.RefiredNewStartsAt)));
        Assert.Equal(4, await ScalarAsync("SELECT count(*) FROM alert_occurrences"));
        Assert.Equal(1, await ScalarAsync("SELECT count(*) FROM alert_occurrences WHERE status = 'resolved'"));
    }

    [Fact]
    public async Task AfterARestart_ARefireClosesTheOccurrenceThatWasStillFiring()
    {
        await using (var first = new RunningWriter(Store.CreateWriter(_time)))
        {
            await first.SubmitAsync(Fixtures.Bytes(Fixtures.FiringSingle));
        }

        await using var second = new RunningWriter(Store.CreateWriter(_time));
        await second.SubmitAsync(Fixtures.Bytes(Fixtures.RefiredNewStartsAt));

        Assert.Equal(1, await ScalarAsync("SELECT count(*) FROM alert_occurrences WHERE status = 'firing'"));
        Assert.Equal(1, await ScalarAsync("SELECT count(*) FROM alert_events WHERE kind = 'resolved' AND detail LIKE '%superseded%'"));
    }

    [Fact]
    public async Task AfterRetentionDeletedTheNewestOccurrence_ACopyOfItIsStoredAgain_NotSwallowedAsADuplicate()
    {
        var identities = new IdentityIndex();
        var pipeline = Store.CreateWriter(_time, identities: identities);
        await using var running = new RunningWriter(pipeline);
        await running.SubmitAsync(Fixtures.Bytes(Fixtures.FiringSingle));
        await running.SubmitAsync(Fixtures.Bytes(Fixtures.ResolvedSingle));

        _time.Advance(TimeSpan.FromDays(3));
        var retention = Store.CreateRetention(_time, new HistoryOptions { RetainDays = 1 }, identities);
        Assert.Equal(1, (await retention.RunOnceAsync(default)).Occurrences);

        var again = await running.SubmitAsync(Fixtures.Bytes(Fixtures.ResolvedSingle));

        Assert.Equal(new IngestResult(1, 1, 0, 0), again);
        Assert.Equal(1, await ScalarAsync("SELECT count(*) FROM alert_occurrences"));
    }

    [Fact]
    public async Task AnOccurrenceWrittenBehindTheWritersBack_IsFoundOnInsert_AndUpdatedInsteadOfFailingTheRequest()
    {
        await using var running = new RunningWriter(Store.CreateWriter(_time));
        await running.SubmitAsync(Fixtures.Bytes(Fixtures.FiringGroupOfTwo)); // fills the index
        var firing = Core.Ingest.WebhookParser.Parse(Fixtures.Bytes(Fixtures.FiringSingle)).Message!.Alerts[0];
        await using (var connection = Store.Open())
        {
            // Another process (or a restore) stored the firing copy after the index was filled.
            // PostgreSQL keeps labels and annotations as jsonb, SQLite as text.
            var json = Store.Engine == DatabaseOptions.Postgres ? "::jsonb" : "";
            await connection.ExecuteAsync($"""
                INSERT INTO alert_occurrences (fingerprint, starts_at_ms, status, labels, annotations, received_at_ms, updated_at_ms)
                VALUES (@fingerprint, @startsAt, 'firing', @labels{json}, @annotations{json}, 0, 0)
                """, new { fingerprint = firing.Fingerprint.ToInt64(), startsAt = UnixMillis.From(firing.StartsAt),
                    labels = firing.Labels.ToJson(), annotations = firing.Annotations.ToJson() });
        }

        var resolved = await running.SubmitAsync(Fixtures.Bytes(Fixtures.ResolvedSingle));

        Assert.Equal(new IngestResult(1, 0, 1, 0), resolved);
        Assert.Equal(3, await ScalarAsync("SELECT count(*) FROM alert_occurrences"));
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM alert_occurrences WHERE fingerprint = " + firing.Fingerprint.ToInt64() + " AND status = 'firing'"));
    }
}

public sealed class IdentityIndexWriterOnSqlite : IdentityIndexWriterContract
{
    protected override Task<TestStore> CreateStoreAsync() => SqliteTestStore.CreateAsync();
}

public sealed class IdentityIndexWriterOnPostgres : IdentityIndexWriterContract
{
    protected override Task<TestStore> CreateStoreAsync() => PostgresTestStore.CreateAsync();
}
