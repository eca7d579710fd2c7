using AlertRelay.Core.History;
using AlertRelay.Core.Oncall;
using AlertRelay.Core.Postgres;

namespace AlertRelay.Tests.TestData;

/// <summary>The used signed links on the test store's engine.</summary>
public abstract partial class TestStore
{
    public abstract IUsedLinks UsedLinks { get; }
}

public sealed partial class SqliteTestStore
{
    public override IUsedLinks UsedLinks => new UsedLinkStore(Database);
}

public sealed partial class PostgresTestStore
{
    public override IUsedLinks UsedLinks => new PostgresUsedLinks(Database);
}
