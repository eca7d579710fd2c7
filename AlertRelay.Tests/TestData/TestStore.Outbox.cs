using AlertRelay.Core.Escalation;
using AlertRelay.Core.History;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Postgres;

namespace AlertRelay.Tests.TestData;

/// <summary>The outbox and the escalation ladders of the store: what the dispatcher and the escalation scheduler work on.</summary>
public abstract partial class TestStore
{
    public abstract IOutboxStore Outbox { get; }

    public abstract IEscalationStore Escalations { get; }
}

public sealed partial class SqliteTestStore
{
    public override IOutboxStore Outbox => new SqliteOutboxStore(Database);

    public override IEscalationStore Escalations => new SqliteEscalationStore(Database);
}

public sealed partial class PostgresTestStore
{
    public override IOutboxStore Outbox => new PostgresOutboxStore(Database);

    public override IEscalationStore Escalations => new PostgresEscalationStore(Database);
}
