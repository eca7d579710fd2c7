using System.Data.Common;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Dedup;
using AlertRelay.Core.History;
using AlertRelay.Core.Ingest;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Pipeline;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AlertRelay.Tests.TestData;

/// <summary>
/// A migrated, empty history on one engine — a real SQLite file (<see cref="SqliteTestStore"/>) or a database of its own in a
/// throwaway PostgreSQL cluster (<see cref="PostgresTestStore"/>) — and the stores on it. The contract suites (classes named
/// <c>...Contract</c>) run every test against both: one sealed subclass per engine.
/// </summary>
public abstract partial class TestStore : IAsyncDisposable
{
    /// <summary><c>sqlite</c> or <c>postgres</c>.</summary>
    public abstract string Engine { get; }

    /// <summary>A connection for arranging and asserting with SQL that both engines understand.</summary>
    public abstract DbConnection Open();

    /// <summary>Whether the store can take a write (readiness).</summary>
    public abstract IStoreHealth Health { get; }

    public abstract IIngestStore CreateIngestStore(IOptions<IngestOptions> options);

    /// <summary>The inbox appends go to (a connection of its own).</summary>
    public abstract IInboxStore CreateInboxStore(IOptions<IngestOptions> options);

    /// <summary>Inbox rows accepted and not applied yet, read with SQL of the test's own (SQLite: the inbox file past the history's mark).</summary>
    public abstract Task<long> InboxWaitingAsync();

    /// <summary>The outbox settings pipelines and dispatchers made here use (digest threshold, backoff...).</summary>
    public NotifyOptions NotifyOptions { get; } = new() { InitialBackoffSeconds = 1, DigestThreshold = 10 };

    /// <summary>The signal pipelines made here raise when they queue notifications.</summary>
    public OutboxSignal Signal { get; } = new();

    public IngestWriter CreateWriter(
        TimeProvider time, int maxRequestsPerCommit = 256, RelayConfig? config = null, IdentityIndex? identities = null, IngestMetrics? metrics = null,
        int reopenGraceSeconds = IngestOptions.DefaultReopenGraceSeconds, InboxHandoff? inbox = null, IngestOptions? ingestOptions = null)
    {
        var settings = ingestOptions ?? new IngestOptions();
        settings.MaxRequestsPerCommit = maxRequestsPerCommit;
        settings.ReopenGraceSeconds = reopenGraceSeconds;
        var options = Microsoft.Extensions.Options.Options.Create(settings);
        return new IngestWriter(CreateIngestStore(options), new IngestState(identities ?? new IdentityIndex()),
            RelayConfigProvider.Fixed(config ?? RelayConfig.Default, time, NullLogger.Instance), Signal, time,
            options, Microsoft.Extensions.Options.Options.Create(NotifyOptions), NullLogger<IngestWriter>.Instance, metrics, inbox: inbox);
    }

    /// <summary>A writer and the inbox appender in front of it, as the host pairs them (one process, one <see cref="InboxHandoff"/>).</summary>
    public (IngestWriter Writer, InboxAppender Inbox) CreateInbox(TimeProvider time, IngestOptions? ingestOptions = null, RelayConfig? config = null)
    {
        var settings = ingestOptions ?? new IngestOptions();
        var handoff = new InboxHandoff();
        var writer = CreateWriter(time, settings.MaxRequestsPerCommit, config, inbox: handoff, ingestOptions: settings);
        var options = Microsoft.Extensions.Options.Options.Create(settings);
        return (writer, new InboxAppender(CreateInboxStore(options), writer, handoff, time, options, NullLogger<InboxAppender>.Instance));
    }

    public abstract ValueTask DisposeAsync();
}

/// <summary>A contract test class: each test gets a fresh store of the engine its sealed subclass names.</summary>
public abstract class StoreContract : IAsyncLifetime
{
    protected TestStore Store { get; private set; } = null!;

    protected abstract Task<TestStore> CreateStoreAsync();

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public async Task DisposeAsync() => await Store.DisposeAsync();
}
