using System.Text.Json.Nodes;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.History;
using AlertRelay.Core.Ingest;
using AlertRelay.Tests.TestData;
using Dapper;
using Microsoft.Extensions.Time.Testing;

namespace AlertRelay.Tests.Ingest;

/// <summary>The ingest writer on each store: dedup's decisions as stored, group commits, and what a failure leaves behind.</summary>
public abstract class IngestWriterContract : StoreContract
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 22, 33, 0, TimeSpan.Zero));

    private async Task<List<(string Kind, long OccurrenceId)>> EventsAsync()
    {
        await using var connection = Store.Open();
        // Dedup's own events; routing's are covered by AlertChainStoreContract.
        return (await connection.QueryAsync<(string, long)>("SELECT kind, occurrence_id FROM alert_events WHERE kind != 'routed' ORDER BY id")).AsList();
    }

    private async Task<long> CountAsync(string table)
    {
        await using var connection = Store.Open();
        return await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table}");
    }

    private async Task<OccurrenceRecord> SingleAlertAsync(string alertname) =>
        Assert.Single((await Store.Queries.ListAsync(new AlertQuery { Alertname = alertname }, default)).Items);

    [Fact]
    public async Task SubmitAsync_StoresOneOccurrenceWithAReceivedEvent_WhenAnAlertIsNew()
    {
        await using var running = new RunningWriter(Store.CreateWriter(_time));

        var result = await running.SubmitAsync(Fixtures.Bytes(Fixtures.FiringSingle));

        Assert.Equal(new IngestResult(1, 1, 0, 0), result);
        var alert = await SingleAlertAsync("HighErrorRate");
        Assert.Equal(AlertStatus.Firing, alert.Status);
        Assert.Equal("76902ea1e495036c", alert.Fingerprint.ToString());
        Assert.Equal("critical", alert.Severity);
        Assert.Equal("relay", alert.Receiver);
        Assert.Equal(_time.GetUtcNow(), alert.ReceivedAt);
        Assert.Equal([(EventKinds.Received, alert.Id)], await EventsAsync());
    }

    [Fact]
    public async Task SubmitAsync_WritesNothing_WhenTheSameBodyArrivesAgain()
    {
        await using var running = new RunningWriter(Store.CreateWriter(_time));
        await running.SubmitAsync(Fixtures.Bytes(Fixtures.FiringGroupOfTwo));
        var eventsBefore = await EventsAsync();

        _time.Advance(TimeSpan.FromMinutes(5)); // a group_interval later
        var again = await running.SubmitAsync(Fixtures.Bytes(Fixtures.FiringGroupOfTwo));

        Assert.Equal(new IngestResult(2, 0, 0, 2), again);
        Assert.Equal(eventsBefore, await EventsAsync());
        Assert.Equal(2, await CountAsync("alert_occurrences"));
    }

    [Fact]
    public async Task SubmitAsync_FollowsTheCapturedLifecycle_FiringResolvedRefired()
    {
        await using var running = new RunningWriter(Store.CreateWriter(_time));

        await running.SubmitAsync(Fixtures.Bytes(Fixtures.FiringSingle));
        // The resolve carries startsAt with millisecond precision where the firing copy had nanoseconds:
        // the same occurrence all the same.
        var resolved = await running.SubmitAsync(Fixtures.Bytes(Fixtures.ResolvedSingle));
        var refired = await running.SubmitAsync(Fixtures.Bytes(Fixtures.RefiredNewStartsAt));

        Assert.Equal(new IngestResult(1, 0, 1, 0), resolved);
        Assert.Equal(new IngestResult(1, 1, 0, 0), refired);
        var page = await Store.Queries.ListAsync(new AlertQuery(), default);
        Assert.Equal(2, page.Items.Count);
        var (second, first) = (page.Items[0], page.Items[1]);
        Assert.Equal(first.Fingerprint, second.Fingerprint);
        Assert.Equal(AlertStatus.Resolved, first.Status);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 22, 32, 57, 741, TimeSpan.Zero), first.EndsAt);
        Assert.Equal(AlertStatus.Firing, second.Status);
        Assert.Equal("Error rate is 12% for more than 1 minute", second.Annotations["description"]);
        Assert.Equal(
            [(EventKinds.Received, first.Id), (EventKinds.Resolved, first.Id), (EventKinds.Refired, second.Id)],
            await EventsAsync());
    }

    [Fact]
    public async Task SubmitAsync_ResolvesOneAlertOfAGroup_AndLeavesTheOtherFiring()
    {
        await using var running = new RunningWriter(Store.CreateWriter(_time));
        await running.SubmitAsync(Fixtures.Bytes(Fixtures.FiringGroupOfTwo));

        var result = await running.SubmitAsync(Fixtures.Bytes(Fixtures.GroupOneFiringOneResolved));

        Assert.Equal(new IngestResult(2, 0, 1, 1), result);
        var firing = await Store.Queries.ListAsync(new AlertQuery { Status = AlertStatus.Firing }, default);
        Assert.Equal("/api/orders", Assert.Single(firing.Items).Labels["route"]);
    }

    [Fact]
    public async Task SubmitAsync_RecordsAnAnnotationChange_WithThePreviousValues()
    {
        await using var running = new RunningWriter(Store.CreateWriter(_time));
        await running.SubmitAsync(Fixtures.Bytes(Fixtures.FiringSingle));
        var body = JsonNode.Parse(Fixtures.Text(Fixtures.FiringSingle))!;
        body["alerts"]![0]!["annotations"]!["description"] = "Error rate is 9% for more than 1 minute";

        var result = await running.SubmitAsync(System.Text.Encoding.UTF8.GetBytes(body.ToJsonString()));

        Assert.Equal(new IngestResult(1, 0, 1, 0), result);
        var alert = await SingleAlertAsync("HighErrorRate");
        Assert.Equal("Error rate is 9% for more than 1 minute", alert.Annotations["description"]);
        var (_, events) = (await Store.Queries.GetAsync(alert.Id, default))!.Value;
        var change = Assert.Single(events, e => e.Kind == EventKinds.AnnotationsChanged);
        Assert.Contains("Error rate is 7.5% for more than 1 minute", change.DetailJson);
    }

    [Fact]
    public async Task SubmitAsync_ReopensAResolvedOccurrence_WhenItFiresAgainWithTheSameStartsAtAndNoGrace()
    {
        await using var running = new RunningWriter(Store.CreateWriter(_time, reopenGraceSeconds: 0));
        await running.SubmitAsync(Fixtures.Bytes(Fixtures.FiringSingle));
        await running.SubmitAsync(Fixtures.Bytes(Fixtures.ResolvedSingle));

        var result = await running.SubmitAsync(Fixtures.Bytes(Fixtures.FiringSingle));

        Assert.Equal(new IngestResult(1, 0, 1, 0), result);
        var alert = await SingleAlertAsync("HighErrorRate");
        Assert.Equal(AlertStatus.Firing, alert.Status);
        Assert.Null(alert.EndsAt);
        Assert.Equal(EventKinds.Reopened, (await EventsAsync())[^1].Kind);
    }

    [Fact]
    public async Task ConfirmDueReopensAsync_ReopensTheCandidate_WhenNoResolveCameWithinTheGrace()
    {
        await using var running = new RunningWriter(Store.CreateWriter(_time, reopenGraceSeconds: 60));
        await running.SubmitAsync(Fixtures.Bytes(Fixtures.FiringSingle));
        await running.SubmitAsync(Fixtures.Bytes(Fixtures.ResolvedSingle));

        var candidate = await running.SubmitAsync(Fixtures.Bytes(Fixtures.FiringSingle));
        var duplicate = await running.SubmitAsync(Fixtures.Bytes(Fixtures.FiringSingle));
        _time.Advance(TimeSpan.FromSeconds(59));
        var early = await running.Pipeline.ConfirmDueReopensAsync(default);
        var stillResolved = (await SingleAlertAsync("HighErrorRate")).Status;
        _time.Advance(TimeSpan.FromSeconds(1));
        var due = await running.Pipeline.ConfirmDueReopensAsync(default);

        Assert.Equal((new IngestResult(1, 0, 1, 0), new IngestResult(1, 0, 0, 1)), (candidate, duplicate));
        Assert.Equal((new IngestResult(0, 0, 0, 0), AlertStatus.Resolved), (early, stillResolved));
        Assert.Equal(new IngestResult(1, 0, 1, 0), due);
        var alert = await SingleAlertAsync("HighErrorRate");
        Assert.Equal((AlertStatus.Firing, (DateTimeOffset?)null), (alert.Status, alert.EndsAt));
        Assert.Equal([EventKinds.ReopenPending, EventKinds.Reopened], (await EventsAsync())[^2..].Select(e => e.Kind));
        Assert.Equal(new IngestResult(0, 0, 0, 0), await running.Pipeline.ConfirmDueReopensAsync(default));
    }

    [Fact]
    public async Task SubmitAsync_CancelsTheCandidate_WhenAResolveComesWithinTheGrace()
    {
        await using var running = new RunningWriter(Store.CreateWriter(_time, reopenGraceSeconds: 60));
        await running.SubmitAsync(Fixtures.Bytes(Fixtures.FiringSingle));
        await running.SubmitAsync(Fixtures.Bytes(Fixtures.ResolvedSingle));
        await running.SubmitAsync(Fixtures.Bytes(Fixtures.FiringSingle));
        _time.Advance(TimeSpan.FromSeconds(30));

        var resolve = await running.SubmitAsync(Fixtures.Bytes(Fixtures.ResolvedSingle));
        _time.Advance(TimeSpan.FromSeconds(60));
        var due = await running.Pipeline.ConfirmDueReopensAsync(default);

        Assert.Equal(new IngestResult(1, 0, 1, 0), resolve);
        Assert.Equal(new IngestResult(0, 0, 0, 0), due);
        Assert.Equal(AlertStatus.Resolved, (await SingleAlertAsync("HighErrorRate")).Status);
        Assert.Equal([EventKinds.ReopenPending, EventKinds.StaleCopy], (await EventsAsync())[^2..].Select(e => e.Kind));
    }

    [Fact]
    public async Task SubmitAsync_CancelsTheCandidate_WhenTheResolveComesAfterARestart()
    {
        await using (var before = new RunningWriter(Store.CreateWriter(_time, reopenGraceSeconds: 60)))
        {
            await before.SubmitAsync(Fixtures.Bytes(Fixtures.FiringSingle));
            await before.SubmitAsync(Fixtures.Bytes(Fixtures.ResolvedSingle));
            await before.SubmitAsync(Fixtures.Bytes(Fixtures.FiringSingle));
        }

        await using var after = new RunningWriter(Store.CreateWriter(_time, reopenGraceSeconds: 60)); // fills its memory from the store
        var duplicate = await after.SubmitAsync(Fixtures.Bytes(Fixtures.FiringSingle));
        var resolve = await after.SubmitAsync(Fixtures.Bytes(Fixtures.ResolvedSingle));
        _time.Advance(TimeSpan.FromSeconds(60));

        Assert.Equal((new IngestResult(1, 0, 0, 1), new IngestResult(1, 0, 1, 0)), (duplicate, resolve));
        Assert.Equal(new IngestResult(0, 0, 0, 0), await after.Pipeline.ConfirmDueReopensAsync(default));
        Assert.Equal([EventKinds.ReopenPending, EventKinds.StaleCopy], (await EventsAsync())[^2..].Select(e => e.Kind));
    }

    [Fact]
    public async Task ConfirmDueReopensAsync_ReopensTheCandidate_WhenTheGraceEndedWhileStopped()
    {
        await using (var before = new RunningWriter(Store.CreateWriter(_time, reopenGraceSeconds: 60)))
        {
            await before.SubmitAsync(Fixtures.Bytes(Fixtures.FiringSingle));
            await before.SubmitAsync(Fixtures.Bytes(Fixtures.ResolvedSingle));
            await before.SubmitAsync(Fixtures.Bytes(Fixtures.FiringSingle));
        }

        _time.Advance(TimeSpan.FromMinutes(10));
        await using var after = new RunningWriter(Store.CreateWriter(_time, reopenGraceSeconds: 60));

        Assert.Equal(new IngestResult(1, 0, 1, 0), await after.Pipeline.ConfirmDueReopensAsync(default));
        Assert.Equal(AlertStatus.Firing, (await SingleAlertAsync("HighErrorRate")).Status);
        Assert.Equal(EventKinds.Reopened, (await EventsAsync())[^1].Kind);
    }

    [Fact]
    public async Task SubmitAsync_ClosesTheEarlierOccurrence_WhenARefireArrivesBeforeItsResolve()
    {
        await using var running = new RunningWriter(Store.CreateWriter(_time));
        await running.SubmitAsync(Fixtures.Bytes(Fixtures.FiringSingle));

        await running.SubmitAsync(Fixtures.Bytes(Fixtures.RefiredNewStartsAt));
        // The resolve of the first occurrence arrives late: nothing more to record.
        var lateResolve = await running.SubmitAsync(Fixtures.Bytes(Fixtures.ResolvedSingle));

        Assert.Equal(new IngestResult(1, 0, 0, 1), lateResolve);
        var page = await Store.Queries.ListAsync(new AlertQuery(), default);
        Assert.Equal([AlertStatus.Firing, AlertStatus.Resolved], page.Items.Select(a => a.Status));
        Assert.Equal(page.Items[0].StartsAt, page.Items[1].EndsAt);
    }

    [Fact]
    public async Task SubmitAsync_StoresExactlyOneOccurrence_WhenManyIdenticalPostsRace()
    {
        // An HA pair (or several) posting the same notification at the same moment.
        await using var running = new RunningWriter(Store.CreateWriter(_time, maxRequestsPerCommit: 8));
        var body = Fixtures.Bytes(Fixtures.FiringGroupOfTwo);
        using var gate = new ManualResetEventSlim();

        var posts = Enumerable.Range(0, 64).Select(_ => Task.Run(async () =>
        {
            gate.Wait();
            return await running.SubmitAsync(body);
        })).ToList();
        gate.Set();
        var results = await Task.WhenAll(posts);

        Assert.Equal(2, results.Sum(r => r.Created));
        Assert.Equal(64 * 2 - 2, results.Sum(r => r.Duplicates));
        Assert.Equal(2, await CountAsync("alert_occurrences"));
        Assert.Equal(4, await CountAsync("alert_events")); // received + routed, for each of the two
    }

    [Fact]
    public async Task SubmitAsync_Dedups_WhenTheSameInstantIsSentWithAnotherOffset()
    {
        await using var running = new RunningWriter(Store.CreateWriter(_time));
        await running.SubmitAsync(Fixtures.Bytes(Fixtures.FiringSingle));
        var body = JsonNode.Parse(Fixtures.Text(Fixtures.FiringSingle))!;
        body["alerts"]![0]!["startsAt"] = "2026-11-24T23:32:30.253+01:00";

        var result = await running.SubmitAsync(System.Text.Encoding.UTF8.GetBytes(body.ToJsonString()));

        Assert.Equal(1, result.Duplicates);
        Assert.Equal(1, await CountAsync("alert_occurrences"));
    }

    [Fact]
    public async Task RunAsync_FailsOnlyTheRequestThatCannotBeStored_AndKeepsItAllOrNothing()
    {
        await using (var connection = Store.Open())
        {
            // A message-specific failure inside the shared transaction.
            await connection.ExecuteAsync(Store.Engine == DatabaseOptions.Postgres
                ? """
                  CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$
                  BEGIN
                      IF NEW.alertname = 'Poison' THEN RAISE EXCEPTION 'poison'; END IF;
                      RETURN NEW;
                  END $$;
                  CREATE TRIGGER poison BEFORE INSERT ON alert_occurrences FOR EACH ROW EXECUTE FUNCTION poison();
                  """
                : "CREATE TRIGGER poison BEFORE INSERT ON alert_occurrences WHEN NEW.alertname = 'Poison' BEGIN SELECT RAISE(ABORT, 'poison'); END");
        }

        var pipeline = Store.CreateWriter(_time);
        var good = WebhookParser.Parse(Fixtures.Bytes(Fixtures.FiringSingle)).Message!;
        var group = WebhookParser.Parse(Fixtures.Bytes(Fixtures.FiringGroupOfTwo)).Message!;
        var poisonAlert = group.Alerts[1] with { Labels = LabelSet.From(("alertname", "Poison")) };
        var halfPoisoned = group with { Alerts = [group.Alerts[0], poisonAlert] };
        var queued = new[] { pipeline.SubmitAsync(good, default), pipeline.SubmitAsync(halfPoisoned, default) };
        using var stop = new CancellationTokenSource();
        await stop.CancelAsync();

        await pipeline.RunAsync(stop.Token); // drains both in one group commit

        Assert.Equal(1, (await queued[0]).Created);
        await Assert.ThrowsAsync<IngestUnavailableException>(() => queued[1]);
        var stored = await Store.Queries.ListAsync(new AlertQuery(), default);
        Assert.Equal(["HighErrorRate"], stored.Items.Select(a => a.Alertname));
        Assert.Equal(2, await CountAsync("alert_events")); // received + routed of the good one
    }

    [Fact]
    public async Task RunAsync_CommitsWhatIsQueued_WhenStopped()
    {
        var pipeline = Store.CreateWriter(_time);
        var queued = pipeline.SubmitAsync(WebhookParser.Parse(Fixtures.Bytes(Fixtures.FiringSingle)).Message!, default);
        using var stop = new CancellationTokenSource();
        await stop.CancelAsync();

        await pipeline.RunAsync(stop.Token);

        Assert.Equal(1, (await queued).Created);
        await Assert.ThrowsAsync<IngestUnavailableException>(
            () => pipeline.SubmitAsync(WebhookParser.Parse(Fixtures.Bytes(Fixtures.FiringSingle)).Message!, default));
    }
}

public sealed class IngestWriterOnSqlite : IngestWriterContract
{
    protected override Task<TestStore> CreateStoreAsync() => SqliteTestStore.CreateAsync();
}

public sealed class IngestWriterOnPostgres : IngestWriterContract
{
    protected override Task<TestStore> CreateStoreAsync() => PostgresTestStore.CreateAsync();
}

/// <summary>The ingest writer on what only SQLite has: one file, one writer at a time, a busy timeout.</summary>
public sealed class IngestWriterSqliteTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 22, 33, 0, TimeSpan.Zero));

    [Fact]
    public async Task SubmitAsync_ThrowsUnavailableAndStoresNothing_WhenTheDatabaseIsLockedByAnotherWriter()
    {
        using var db = new TempDatabase(busyTimeoutSeconds: 1);
        await using var running = new RunningWriter(db.CreateWriter(_time));
        await using (var blocker = db.Database.Open())
        {
            await using var lockTransaction = blocker.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: holds the write lock

            await Assert.ThrowsAsync<IngestUnavailableException>(() => running.SubmitAsync(Fixtures.Bytes(Fixtures.FiringSingle)));
        }

        await using (var connection = db.Database.Open())
        {
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM alert_occurrences"));
        }

        // Once the lock is gone, Alertmanager's retry succeeds.
        var retried = await running.SubmitAsync(Fixtures.Bytes(Fixtures.FiringSingle));
        Assert.Equal(1, retried.Created);
    }
}
