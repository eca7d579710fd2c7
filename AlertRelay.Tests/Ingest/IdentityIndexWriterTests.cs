using AlertRelay.Core.Alerts;
using AlertRelay.Core.Dedup;
using AlertRelay.Core.History;
using AlertRelay.Core.Ingest;
using AlertRelay.Tests.TestData;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AlertRelay.Tests.Ingest;

/// <summary>
/// Deduplication decides from an in-memory index of the newest occurrence per fingerprint: it must agree with the
/// store after a restart, after retention deleted occurrences, and when rows were written behind its back.
/// </summary>
public sealed class IdentityIndexWriterTests : IDisposable
{
    private readonly TempDatabase _db = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 22, 33, 0, TimeSpan.Zero));

    public void Dispose() => _db.Dispose();

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = _db.Database.Open();
        return await connection.ExecuteScalarAsync<long>(sql);
    }

    [Fact]
    public async Task AfterARestart_ReSendsAreDuplicates_AndAResolveOrRefireFindsTheStoredOccurrence()
    {
        await using (var first = new RunningWriter(_db.CreateWriter(_time)))
        {
            Assert.Equal(new IngestResult(2, 2, 0, 0), await first.SubmitAsync(Fixtures.Bytes(Fixtures.FiringGroupOfTwo)));
            Assert.Equal(new IngestResult(1, 1, 0, 0), await first.SubmitAsync(Fixtures.Bytes(Fixtures.FiringSingle)));
        }

        await using var second = new RunningWriter(_db.CreateWriter(_time));

        Assert.Equal(new IngestResult(2, 0, 0, 2), await second.SubmitAsync(Fixtures.Bytes(Fixtures.FiringGroupOfTwo)));
        Assert.Equal(new IngestResult(1, 0, 1, 0), await second.SubmitAsync(Fixtures.Bytes(Fixtures.ResolvedSingle)));
        Assert.Equal(new IngestResult(1, 1, 0, 0), await second.SubmitAsync(Fixtures.Bytes(Fixtures.RefiredNewStartsAt)));
        Assert.Equal(4, await ScalarAsync("SELECT count(*) FROM alert_occurrences"));
        Assert.Equal(1, await ScalarAsync("SELECT count(*) FROM alert_occurrences WHERE status = 'resolved'"));
    }

    [Fact]
    public async Task AfterARestart_ARefireClosesTheOccurrenceThatWasStillFiring()
    {
        await using (var first = new RunningWriter(_db.CreateWriter(_time)))
        {
            await first.SubmitAsync(Fixtures.Bytes(Fixtures.FiringSingle));
        }

        await using var second = new RunningWriter(_db.CreateWriter(_time));
        await second.SubmitAsync(Fixtures.Bytes(Fixtures.RefiredNewStartsAt));

        Assert.Equal(1, await ScalarAsync("SELECT count(*) FROM alert_occurrences WHERE status = 'firing'"));
        Assert.Equal(1, await ScalarAsync("SELECT count(*) FROM alert_events WHERE kind = 'resolved' AND detail LIKE '%superseded%'"));
    }

    [Fact]
    public async Task AfterRetentionDeletedTheNewestOccurrence_ACopyOfItIsStoredAgain_NotSwallowedAsADuplicate()
    {
        var identities = new IdentityIndex();
        var pipeline = _db.CreateWriter(_time, identities: identities);
        await using var running = new RunningWriter(pipeline);
        await running.SubmitAsync(Fixtures.Bytes(Fixtures.FiringSingle));
        await running.SubmitAsync(Fixtures.Bytes(Fixtures.ResolvedSingle));

        _time.Advance(TimeSpan.FromDays(3));
        var retention = new HistoryRetention(_db.Database, _time, Options.Create(new HistoryOptions { RetainDays = 1 }),
            NullLogger<HistoryRetention>.Instance, identities);
        Assert.Equal(1, (await retention.RunOnceAsync(default)).Occurrences);

        var again = await running.SubmitAsync(Fixtures.Bytes(Fixtures.ResolvedSingle));

        Assert.Equal(new IngestResult(1, 1, 0, 0), again);
        Assert.Equal(1, await ScalarAsync("SELECT count(*) FROM alert_occurrences"));
    }

    [Fact]
    public async Task AnOccurrenceWrittenBehindTheWritersBack_IsFoundOnInsert_AndUpdatedInsteadOfFailingTheRequest()
    {
        await using var running = new RunningWriter(_db.CreateWriter(_time));
        await running.SubmitAsync(Fixtures.Bytes(Fixtures.FiringGroupOfTwo)); // fills the index
        var firing = Core.Ingest.WebhookParser.Parse(Fixtures.Bytes(Fixtures.FiringSingle)).Message!.Alerts[0];
        await using (var connection = _db.Database.Open())
        {
            // Another process (or a restore) stored the firing copy after the index was filled.
            await connection.ExecuteAsync("""
                INSERT INTO alert_occurrences (fingerprint, starts_at_ms, status, labels, annotations, received_at_ms, updated_at_ms)
                VALUES (@fingerprint, @startsAt, 'firing', @labels, @annotations, 0, 0)
                """, new { fingerprint = firing.Fingerprint.ToInt64(), startsAt = UnixMillis.From(firing.StartsAt),
                    labels = firing.Labels.ToJson(), annotations = firing.Annotations.ToJson() });
        }

        var resolved = await running.SubmitAsync(Fixtures.Bytes(Fixtures.ResolvedSingle));

        Assert.Equal(new IngestResult(1, 0, 1, 0), resolved);
        Assert.Equal(3, await ScalarAsync("SELECT count(*) FROM alert_occurrences"));
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM alert_occurrences WHERE fingerprint = " + firing.Fingerprint.ToInt64() + " AND status = 'firing'"));
    }
}
