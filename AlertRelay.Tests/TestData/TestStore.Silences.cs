using AlertRelay.Core.History;
using AlertRelay.Core.Oncall;
using AlertRelay.Core.Postgres;

namespace AlertRelay.Tests.TestData;

/// <summary>The occurrences' Alertmanager silences on the test store's engine.</summary>
public abstract partial class TestStore
{
    public abstract ISilenceStore Silences { get; }
}

public sealed partial class SqliteTestStore
{
    public override ISilenceStore Silences => new SilenceStore(Database);
}

public sealed partial class PostgresTestStore
{
    public override ISilenceStore Silences => new PostgresSilences(Database);
}
