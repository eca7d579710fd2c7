using AlertRelay.Core.Alerts;
using AlertRelay.Core.History;
using AlertRelay.Core.Ingest;
using AlertRelay.Core.Oncall;
using AlertRelay.Tests.TestData;
using Dapper;
using Microsoft.Extensions.Time.Testing;

namespace AlertRelay.Tests.Oncall;

/// <summary>The silence store on every engine: claim, record, release, clear with a reason, list, and requests at once.</summary>
public abstract class SilenceStoreContract : StoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Hold = TimeSpan.FromSeconds(40);
    private static readonly Actor Alice = new("Alice", ActorSources.Slack, "U0ALICE01");
    private readonly FakeTimeProvider _time = new(T0);

    private static Alert Make(string name, int? endMinute = null)
    {
        var labels = LabelSet.From(("alertname", name), ("severity", "critical"), ("instance", "db-1"));
        return new(Fingerprint.Of(labels), endMinute is null ? AlertStatus.Firing : AlertStatus.Resolved, labels, LabelSet.Empty,
            T0, endMinute is { } e ? T0.AddMinutes(e) : null, "");
    }

    /// <summary>Stores a firing and a resolved occurrence, announced to the Slack integration of <see cref="OncallConfig"/>; returns their ids.</summary>
    private async Task<(long Firing, long Resolved)> SeedAsync()
    {
        await using (var running = new RunningWriter(Store.CreateWriter(_time, config: OncallConfig.Load())))
        {
            await running.SubmitAsync(new WebhookMessage("oncall", AlertStatus.Firing, "g", 0, LabelSet.Empty, LabelSet.Empty, LabelSet.Empty, "",
                [Make("Firing"), Make("Resolved", 5)]));
        }

        var items = (await Store.Queries.ListAsync(new AlertQuery(), default)).Items;
        return (items.Single(a => a.Alertname == "Firing").Id, items.Single(a => a.Alertname == "Resolved").Id);
    }

    private async Task<IReadOnlyList<AlertEvent>> SilenceEventsAsync(long id) =>
        (await Store.Queries.GetAsync(id, default))!.Value.Events.Where(e => e.Kind is EventKinds.Silenced or EventKinds.Unsilenced).ToList();

    private async Task<string[]> SlackUpdatesAsync(long id)
    {
        await using var connection = Store.Open();
        return (await connection.QueryAsync<string>(
            """
            SELECT n.detail FROM notifications n JOIN notification_alerts a ON a.notification_id = n.id
            WHERE a.occurrence_id = @Id AND n.kind = 'update' ORDER BY n.id
            """, new { Id = id })).ToArray();
    }

    private async Task<ActiveSilence> SilenceAsync(long id, string silenceId = "0b6c5f3e-1c1f-4c57-a0a8-7d2f0f3c9d11", int minutes = 60)
    {
        var claim = await Store.Silences.ClaimAsync(id, "claim:a", T0, Hold, default);
        Assert.Equal(SilenceClaimOutcome.Claimed, claim.Outcome);
        var silence = new ActiveSilence(silenceId, Alice.Name, T0.AddMinutes(minutes));
        Assert.True(await Store.Silences.RecordAsync(id, "claim:a", silence, Alice, "on it", T0.AddSeconds(1), default));
        return silence;
    }

    [Fact]
    public async Task RecordAsync_StoresTheSilence_RecordsTheEvent_AndQueuesSlackUpdates_AfterAClaim()
    {
        var (firing, _) = await SeedAsync();

        var claim = await Store.Silences.ClaimAsync(firing, "claim:a", T0, Hold, default);
        var silence = new ActiveSilence("0b6c5f3e-1c1f-4c57-a0a8-7d2f0f3c9d11", "Alice", T0.AddHours(1));
        var recorded = await Store.Silences.RecordAsync(firing, "claim:a", silence, Alice, "on it", T0.AddSeconds(1), default);

        Assert.Equal(SilenceClaimOutcome.Claimed, claim.Outcome);
        Assert.Equal("db-1", claim.Labels.Get("instance"));
        Assert.True(recorded);
        Assert.Equal(new SilenceLookup(true, silence), await Store.Silences.FindAsync(firing, default));
        Assert.Equal(silence, (await Store.Queries.GetAsync(firing, default))!.Value.Alert.Silence);
        var e = Assert.Single(await SilenceEventsAsync(firing));
        Assert.Equal(T0.AddSeconds(1), e.At);
        Assert.Equal(
            """{"silenceId":"0b6c5f3e-1c1f-4c57-a0a8-7d2f0f3c9d11","by":"Alice","byId":"U0ALICE01","via":"slack","endsAt":"2026-11-24T01:00:00.000Z","comment":"on it"}""",
            e.DetailJson);
        Assert.Equal(["silenced"], await SlackUpdatesAsync(firing));
    }

    [Fact]
    public async Task ClaimAsync_RefusesWithTheReason_WhenTheOccurrenceIsUnknownOrResolved()
    {
        var (_, resolved) = await SeedAsync();

        Assert.Equal(SilenceClaimOutcome.NotFound, (await Store.Silences.ClaimAsync(999_999, "claim:a", T0, Hold, default)).Outcome);
        Assert.Equal(SilenceClaimOutcome.AlreadyResolved, (await Store.Silences.ClaimAsync(resolved, "claim:a", T0, Hold, default)).Outcome);
        Assert.Equal(new SilenceLookup(true, null), await Store.Silences.FindAsync(resolved, default));
        Assert.Equal(new SilenceLookup(false, null), await Store.Silences.FindAsync(999_999, default));
    }

    [Fact]
    public async Task ClaimAsync_ReturnsBusy_WhileAnotherClaimIsHeld_AndClaimsOnceItLapsed()
    {
        var (firing, _) = await SeedAsync();
        await Store.Silences.ClaimAsync(firing, "claim:a", T0, Hold, default);

        var during = await Store.Silences.ClaimAsync(firing, "claim:b", T0 + Hold - TimeSpan.FromMilliseconds(1), Hold, default);
        var after = await Store.Silences.ClaimAsync(firing, "claim:b", T0 + Hold, Hold, default);
        var lateRecord = await Store.Silences.RecordAsync(firing, "claim:a", new ActiveSilence("late", "Alice", T0.AddHours(1)), Alice, "x", T0 + Hold, default);

        Assert.Equal((SilenceClaimOutcome.Busy, SilenceClaimOutcome.Claimed), (during.Outcome, after.Outcome));
        Assert.False(lateRecord);
        Assert.Empty(await SilenceEventsAsync(firing));
    }

    [Fact]
    public async Task ClaimAsync_ReturnsTheSilence_WhenOneIsRecordedAndHasNotEnded()
    {
        var (firing, _) = await SeedAsync();
        var silence = await SilenceAsync(firing);

        var claim = await Store.Silences.ClaimAsync(firing, "claim:b", T0.AddMinutes(59), Hold, default);

        Assert.Equal(SilenceClaimOutcome.AlreadySilenced, claim.Outcome);
        Assert.Equal(silence, claim.Silence);
    }

    [Fact]
    public async Task ClaimAsync_RecordsTheEndedSilenceAsExpired_BeforeClaimingAgain()
    {
        var (firing, _) = await SeedAsync();
        await SilenceAsync(firing);

        var claim = await Store.Silences.ClaimAsync(firing, "claim:b", T0.AddMinutes(60), Hold, default);

        Assert.Equal(SilenceClaimOutcome.Claimed, claim.Outcome);
        var events = await SilenceEventsAsync(firing);
        Assert.Equal([EventKinds.Silenced, EventKinds.Unsilenced], events.Select(e => e.Kind));
        Assert.Equal("""{"silenceId":"0b6c5f3e-1c1f-4c57-a0a8-7d2f0f3c9d11","reason":"expired","by":null,"byId":null,"via":null}""", events[1].DetailJson);
        Assert.Equal(new SilenceLookup(true, null), await Store.Silences.FindAsync(firing, default));
    }

    [Fact]
    public async Task ReleaseAsync_FreesTheSlot_AndAClaimIsNeverShownAsASilence()
    {
        var (firing, _) = await SeedAsync();
        await Store.Silences.ClaimAsync(firing, "claim:a", T0, Hold, default);

        var whileClaimed = (await Store.Queries.GetAsync(firing, default))!.Value.Alert.Silence;
        var listed = await Store.Silences.ListAsync(default);
        await Store.Silences.ReleaseAsync(firing, "claim:other", default);
        var stillBusy = await Store.Silences.ClaimAsync(firing, "claim:b", T0, Hold, default);
        await Store.Silences.ReleaseAsync(firing, "claim:a", default);
        var free = await Store.Silences.ClaimAsync(firing, "claim:b", T0, Hold, default);

        Assert.Null(whileClaimed);
        Assert.Empty(listed);
        Assert.Equal((SilenceClaimOutcome.Busy, SilenceClaimOutcome.Claimed), (stillBusy.Outcome, free.Outcome));
        Assert.Empty(await SilenceEventsAsync(firing));
    }

    [Fact]
    public async Task ClaimAsync_FromTwoReplicasAtOnce_GivesTheSlotToOne()
    {
        var (firing, _) = await SeedAsync();
        ISilenceStore replica1 = Store.Silences, replica2 = Store.Silences;

        var outcomes = await Task.WhenAll(
            Task.Run(() => replica1.ClaimAsync(firing, "claim:a", T0, Hold, default)),
            Task.Run(() => replica2.ClaimAsync(firing, "claim:b", T0, Hold, default)));

        Assert.Equal([SilenceClaimOutcome.Claimed, SilenceClaimOutcome.Busy], outcomes.Select(o => o.Outcome).Order());
    }

    [Fact]
    public async Task ClearAsync_RecordsWhoEndedIt_AndQueuesSlackUpdates_WhenTheSilenceIsTheRecordedOne()
    {
        var (firing, _) = await SeedAsync();
        var silence = await SilenceAsync(firing);
        var bob = new Actor("bob", ActorSources.Api);

        var wrong = await Store.Silences.ClearAsync(firing, "another-silence", SilenceEnd.ByActor(bob), T0.AddMinutes(5), default);
        var cleared = await Store.Silences.ClearAsync(firing, silence.Id, SilenceEnd.ByActor(bob), T0.AddMinutes(5), default);
        var again = await Store.Silences.ClearAsync(firing, silence.Id, SilenceEnd.DeletedInAlertmanager, T0.AddMinutes(6), default);

        Assert.Equal((false, true, false), (wrong, cleared, again));
        Assert.Equal(new SilenceLookup(true, null), await Store.Silences.FindAsync(firing, default));
        var events = await SilenceEventsAsync(firing);
        Assert.Equal([EventKinds.Silenced, EventKinds.Unsilenced], events.Select(e => e.Kind));
        Assert.Equal("""{"silenceId":"0b6c5f3e-1c1f-4c57-a0a8-7d2f0f3c9d11","reason":"unsilenced","by":"bob","byId":null,"via":"api"}""", events[1].DetailJson);
        Assert.Equal(["silenced", "unsilenced"], await SlackUpdatesAsync(firing));
    }

    [Fact]
    public async Task ListAsync_ListsRecordedSilences_SoonestEndingFirst()
    {
        var (firing, _) = await SeedAsync();
        await using (var running = new RunningWriter(Store.CreateWriter(_time, config: OncallConfig.Load())))
        {
            await running.SubmitAsync(new WebhookMessage("oncall", AlertStatus.Firing, "g", 0, LabelSet.Empty, LabelSet.Empty, LabelSet.Empty, "", [Make("Other")]));
        }

        var other = (await Store.Queries.ListAsync(new AlertQuery(), default)).Items.Single(a => a.Alertname == "Other").Id;
        var later = await SilenceAsync(firing, "11111111-1111-1111-1111-111111111111", minutes: 120);
        var sooner = await SilenceAsync(other, "22222222-2222-2222-2222-222222222222", minutes: 30);

        var listed = await Store.Silences.ListAsync(default);

        Assert.Equal([new SilencedOccurrence(other, sooner), new SilencedOccurrence(firing, later)], listed);
    }
}

public sealed class SilenceStoreOnSqlite : SilenceStoreContract
{
    protected override Task<TestStore> CreateStoreAsync() => SqliteTestStore.CreateAsync();
}

public sealed class SilenceStoreOnPostgres : SilenceStoreContract
{
    protected override Task<TestStore> CreateStoreAsync() => PostgresTestStore.CreateAsync();
}
