using System.Data.Common;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.History;
using AlertRelay.Core.Ingest;
using AlertRelay.Core.Oncall;
using AlertRelay.Tests.TestData;
using Dapper;
using Microsoft.Extensions.Time.Testing;

namespace AlertRelay.Tests.Oncall;

/// <summary>The used-link store on every engine: first use wins once (also from two replicas at once), expiry, release, page state.</summary>
public abstract class UsedLinksContract : StoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(T0);

    private async Task<long> SeedAsync()
    {
        var labels = LabelSet.From(("alertname", "DiskFull"), ("severity", "critical"));
        await using (var running = new RunningWriter(Store.CreateWriter(_time)))
        {
            await running.SubmitAsync(new WebhookMessage("relay", AlertStatus.Firing, "g", 0, LabelSet.Empty, LabelSet.Empty, LabelSet.Empty, "",
                [new Alert(Fingerprint.Of(labels), AlertStatus.Firing, labels, LabelSet.Empty, T0, null, "")]));
        }

        return (await Store.Queries.ListAsync(new AlertQuery(), default)).Items.Single().Id;
    }

    private async Task<long> CountAsync()
    {
        await using var connection = Store.Open();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM used_links");
    }

    [Fact]
    public async Task TryUseAsync_IsFirstOnce_ThenAlreadyUsed()
    {
        var id = await SeedAsync();

        var first = await Store.UsedLinks.TryUseAsync("hash-1", id, "acknowledge", T0.AddHours(24), T0, default);
        var second = await Store.UsedLinks.TryUseAsync("hash-1", id, "acknowledge", T0.AddHours(24), T0.AddMinutes(1), default);
        var other = await Store.UsedLinks.TryUseAsync("hash-2", id, "silence-1h", T0.AddHours(24), T0.AddMinutes(1), default);

        Assert.Equal((LinkUse.First, LinkUse.AlreadyUsed, LinkUse.First), (first, second, other));
        Assert.True(await Store.UsedLinks.IsUsedAsync("hash-1", default));
        Assert.False(await Store.UsedLinks.IsUsedAsync("hash-3", default));
    }

    [Fact]
    public async Task TryUseAsync_GivesFirstToExactlyOne_WhenManyUseTheSameLinkAtOnce()
    {
        var id = await SeedAsync();
        IUsedLinks replica1 = Store.UsedLinks, replica2 = Store.UsedLinks;

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            (i % 2 == 0 ? replica1 : replica2).TryUseAsync("same", id, "acknowledge", T0.AddHours(24), T0, default))));

        Assert.Single(outcomes, o => o == LinkUse.First);
        Assert.All(outcomes.Where(o => o != LinkUse.First), o => Assert.Equal(LinkUse.AlreadyUsed, o));
    }

    [Fact]
    public async Task TryUseAsync_IsNoOccurrence_AndStoresNothing_WhenTheOccurrenceIsGone()
    {
        await SeedAsync();

        var outcome = await Store.UsedLinks.TryUseAsync("hash-1", 999_999, "acknowledge", T0.AddHours(24), T0, default);

        Assert.Equal(LinkUse.NoOccurrence, outcome);
        Assert.Equal(0, await CountAsync());
    }

    [Fact]
    public async Task TryUseAsync_ForgetsLinksThatExpired()
    {
        var id = await SeedAsync();
        await Store.UsedLinks.TryUseAsync("short", id, "acknowledge", T0.AddHours(1), T0, default);
        await Store.UsedLinks.TryUseAsync("long", id, "acknowledge", T0.AddHours(24), T0, default);

        await Store.UsedLinks.TryUseAsync("later", id, "silence-1h", T0.AddHours(25), T0.AddHours(1), default);

        Assert.False(await Store.UsedLinks.IsUsedAsync("short", default));
        Assert.True(await Store.UsedLinks.IsUsedAsync("long", default));
        Assert.Equal(2, await CountAsync());
    }

    [Fact]
    public async Task ReleaseAsync_LetsTheLinkBeUsedAgain()
    {
        var id = await SeedAsync();
        await Store.UsedLinks.TryUseAsync("hash-1", id, "silence-1h", T0.AddHours(24), T0, default);

        await Store.UsedLinks.ReleaseAsync("hash-1", default);

        Assert.False(await Store.UsedLinks.IsUsedAsync("hash-1", default));
        Assert.Equal(LinkUse.First, await Store.UsedLinks.TryUseAsync("hash-1", id, "silence-1h", T0.AddHours(24), T0, default));
    }

    [Fact]
    public async Task PageStateAsync_ReadsWhereTheAckCameFrom()
    {
        var id = await SeedAsync();
        var before = await Store.UsedLinks.PageStateAsync(id, default);
        await Store.Acknowledgements.AcknowledgeAsync(id, new Actor("Alice", ActorSources.Link), null, null, replace: false, T0.AddMinutes(1), default);

        var after = await Store.UsedLinks.PageStateAsync(id, default);

        Assert.Equal(new LinkPageState(null), before);
        Assert.Equal(new LinkPageState(ActorSources.Link), after);
        Assert.Null(await Store.UsedLinks.PageStateAsync(999_999, default));
    }

    [Fact]
    public async Task UsedLinks_GoWithTheirOccurrence()
    {
        var id = await SeedAsync();
        await Store.UsedLinks.TryUseAsync("hash-1", id, "acknowledge", T0.AddHours(24), T0, default);

        await using (DbConnection connection = Store.Open())
        {
            await connection.ExecuteAsync("DELETE FROM alert_occurrences WHERE id = @Id", new { Id = id });
        }

        Assert.Equal(0, await CountAsync());
    }
}

public sealed class UsedLinksOnSqlite : UsedLinksContract
{
    protected override Task<TestStore> CreateStoreAsync() => SqliteTestStore.CreateAsync();
}

public sealed class UsedLinksOnPostgres : UsedLinksContract
{
    protected override Task<TestStore> CreateStoreAsync() => PostgresTestStore.CreateAsync();
}
