using System.Data.Common;
using AlertRelay.Core.History;
using AlertRelay.Core.Ingest;
using AlertRelay.Core.Pipeline;
using Microsoft.Extensions.Options;

namespace AlertRelay.Tests.TestData;

/// <summary>The history on a real SQLite file in a temporary directory (<see cref="TempDatabase"/>).</summary>
public sealed partial class SqliteTestStore : TestStore
{
    public SqliteTestStore() => Database = Temp.Database;

    public TempDatabase Temp { get; } = new();

    public HistoryDatabase Database { get; }

    public override string Engine => DatabaseOptions.Sqlite;

    public override IStoreHealth Health => Database;

    public static Task<TestStore> CreateAsync() => Task.FromResult<TestStore>(new SqliteTestStore());

    public override DbConnection Open() => Database.Open();

    public override IIngestStore CreateIngestStore(IOptions<IngestOptions> options) => new SqliteIngestStore(Database, options);

    public override async Task<long> InboxWaitingAsync()
    {
        await using var history = Database.Open();
        var applied = await Dapper.SqlMapper.QuerySingleAsync<long>(history, "SELECT applied_through FROM inbox_progress");
        await using var inbox = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Database.InboxFilePath}");
        await inbox.OpenAsync();
        return await Dapper.SqlMapper.QuerySingleAsync<long>(inbox, "SELECT count(*) FROM inbox WHERE id > @applied", new { applied });
    }

    public override IInboxStore CreateInboxStore(IOptions<IngestOptions> options) => new SqliteInboxStore(Database, new SqliteIngestStore(Database, options));

    public override ValueTask DisposeAsync()
    {
        Temp.Dispose();
        return ValueTask.CompletedTask;
    }
}
