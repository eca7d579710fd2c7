using System.Collections.Concurrent;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Escalation;
using AlertRelay.Core.History;
using AlertRelay.Core.Pipeline;
using AlertRelay.Core.Postgres;
using AlertRelay.Tests.TestData;
using Dapper;

namespace AlertRelay.Tests.Escalation;

/// <summary>Several relays on one PostgreSQL: the escalation passes of two replicas share the ladders, and each step runs once.</summary>
public sealed class EscalationOnPostgresReplicasTests : IAsyncLifetime
{
    private static readonly long T0 = UnixMillis.From(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
    private const int Ladders = 60;
    private const int Steps = 3;
    private PostgresReplicas _replicas = null!;

    public async Task InitializeAsync()
    {
        _replicas = await PostgresReplicas.CreateAsync();
        await using var connection = _replicas.Store.Database.Open();
        await connection.ExecuteAsync(
            """
            INSERT INTO alert_occurrences (fingerprint, starts_at_ms, status, labels, annotations, received_at_ms, updated_at_ms)
            SELECT i, @T0, 'firing', '{}', '{}', @T0, @T0 FROM generate_series(1, @Ladders) AS i;
            INSERT INTO escalations (occurrence_id, policy, firing_since_ms, steps_done, next_due_ms, updated_at_ms)
            SELECT id, 'ladder', @T0, 0, @T0, @T0 FROM alert_occurrences;
            """,
            new { T0, Ladders });
    }

    public async Task DisposeAsync() => await _replicas.DisposeAsync();

    /// <summary>Runs one step of a ladder of <see cref="Steps"/> steps; the next one is due at once.</summary>
    private static EscalationPlan OneStep(DueEscalation due) => new(
        due.OccurrenceId, due.StepsDone + 1, due.StepsDone + 1 < Steps ? T0 : null, null,
        [new TimelineEvent(due.OccurrenceId, EventKinds.Escalated, $$"""{"step":{{due.StepsDone}}}""")], [], new ReminderPlan(due.RemindersSent, null, null));

    [Fact]
    public async Task RunDueAsync_PlansEachStepOnce_WhenTwoReplicasRunTheirPassesAtTheSameTime()
    {
        var planned = new ConcurrentQueue<(long OccurrenceId, int Step)>();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Two passes per replica, a few ladders each: passes overlap, and a ladder is due again as soon as its step commits.
        async Task PassUntilNoneDueAsync(IEscalationStore replica)
        {
            await start.Task;
            while ((await replica.RunDueAsync(T0, 5, due =>
                   {
                       planned.Enqueue((due.OccurrenceId, due.StepsDone));
                       return OneStep(due);
                   }, default)).Count > 0)
            {
            }
        }

        var storeA = new PostgresEscalationStore(_replicas.A);
        var storeB = new PostgresEscalationStore(_replicas.B);
        var passes = new[] { storeA, storeB, storeA, storeB }.Select(s => Task.Run(() => PassUntilNoneDueAsync(s))).ToArray();
        start.SetResult();
        await Task.WhenAll(passes);

        Assert.Equal(Ladders * Steps, planned.Count);
        Assert.Equal(Ladders * Steps, planned.Distinct().Count());
        await using var connection = _replicas.Store.Database.Open();
        Assert.Equal(Ladders * Steps, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM alert_events WHERE kind = @Kind", new { Kind = EventKinds.Escalated }));
        Assert.Equal(Ladders, await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM escalations WHERE steps_done = @Steps AND next_due_ms IS NULL", new { Steps }));
        Assert.False(await storeA.AnyDueAsync(T0, default));
    }
}
