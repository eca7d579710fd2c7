using AlertRelay.Core.Alerts;
using AlertRelay.Core.History;
using AlertRelay.Tests.TestData;
using Dapper;
using Microsoft.Extensions.Time.Testing;
using static AlertRelay.Tests.Pipeline.AlertChainTimeIntervalTests;

namespace AlertRelay.Tests.Pipeline;

/// <summary>
/// Time intervals end to end in process on a real SQLite file, the writer's clock a <see cref="FakeTimeProvider"/>: inside the
/// interval the occurrence has <c>muted</c> events and no outbox row; the same alert firing again outside it is notified.
/// </summary>
public sealed class AlertChainTimeIntervalSqliteTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(Saturday);
    private TestStore _store = null!;

    public async Task InitializeAsync() => _store = await SqliteTestStore.CreateAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task Writer_RecordsMutedAndQueuesNothing_InsideTheInterval_AndNotifiesTheSameAlertOutsideIt()
    {
        await using var running = new RunningWriter(_store.CreateWriter(_time, config: Config));
        await running.SubmitAsync(Message(Alert("NodeDown", "critical", Saturday)));
        await running.SubmitAsync(Message(Alert("NodeDown", "critical", Saturday, AlertStatus.Resolved)));

        await using var connection = _store.Open();
        var first = await connection.ExecuteScalarAsync<long>("SELECT id FROM alert_occurrences");
        var muted = (await connection.QueryAsync<string>(
            "SELECT detail FROM alert_events WHERE occurrence_id = @first AND kind = @kind ORDER BY id", new { first, kind = EventKinds.Muted })).ToArray();
        Assert.Equal(2, muted.Length);
        Assert.Contains("\"receiver\":\"pager\"", muted[0], StringComparison.Ordinal);
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM notifications")); // neither firing nor resolve

        _time.SetUtcNow(MondayMorning);
        await running.SubmitAsync(Message(Alert("NodeDown", "critical", MondayMorning)));

        var receivers = (await connection.QueryAsync<string>("SELECT receiver FROM notifications ORDER BY receiver")).ToArray();
        Assert.Equal(["pager", "team"], receivers);
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM alert_events WHERE occurrence_id <> @first AND kind = @kind", new { first, kind = EventKinds.Muted }));
    }
}
