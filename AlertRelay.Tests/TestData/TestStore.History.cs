using AlertRelay.Core.Dedup;
using AlertRelay.Core.History;
using AlertRelay.Core.Postgres;
using Microsoft.Extensions.Logging.Abstractions;

namespace AlertRelay.Tests.TestData;

/// <summary>The history's read side, acknowledgements and retention on the test store's engine.</summary>
public abstract partial class TestStore
{
    public abstract IAlertQueries Queries { get; }

    public abstract IAcknowledgements Acknowledgements { get; }

    public abstract IHistoryRetention CreateRetention(
        TimeProvider time, HistoryOptions options, IdentityIndex? identities = null, HistoryMetrics? metrics = null);
}

public sealed partial class SqliteTestStore
{
    public override IAlertQueries Queries => new AlertQueries(Database);

    public override IAcknowledgements Acknowledgements => new AcknowledgementStore(Database);

    public override IHistoryRetention CreateRetention(
        TimeProvider time, HistoryOptions options, IdentityIndex? identities = null, HistoryMetrics? metrics = null) =>
        new HistoryRetention(Database, time, Microsoft.Extensions.Options.Options.Create(options), NullLogger<HistoryRetention>.Instance, identities, metrics);
}

public sealed partial class PostgresTestStore
{
    public override IAlertQueries Queries => new PostgresAlertQueries(Database);

    public override IAcknowledgements Acknowledgements => new PostgresAcknowledgements(Database);

    public override IHistoryRetention CreateRetention(
        TimeProvider time, HistoryOptions options, IdentityIndex? identities = null, HistoryMetrics? metrics = null) =>
        new PostgresRetention(Database, time, Microsoft.Extensions.Options.Options.Create(options), NullLogger<PostgresRetention>.Instance, identities, metrics);
}
