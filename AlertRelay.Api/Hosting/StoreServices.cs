using AlertRelay.Core.Escalation;
using AlertRelay.Core.History;
using AlertRelay.Core.Ingest;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Oncall;
using AlertRelay.Core.Pipeline;
using AlertRelay.Core.Postgres;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AlertRelay.Api.Hosting;

/// <summary>
/// The history store the configuration chooses (<c>AlertRelay:Database:Provider</c>): SQLite, the embedded default, or PostgreSQL
/// for one or several replicas. Every store interface Core defines resolves to that engine's implementation, chosen when first
/// resolved (from the validated options, so that every configuration source counts); nothing else in the host knows the engine.
/// </summary>
public static class StoreServices
{
    public static IServiceCollection AddHistoryStore(this IServiceCollection services)
    {
        services.AddSingleton<HistoryDatabase>();
        services.AddSingleton<PostgresDatabase>();
        services.AddSingleton<WalCheckpointer>();
        Add<IStoreSchema, HistoryDatabase, PostgresDatabase>(services);
        Add<IStoreHealth, HistoryDatabase, PostgresDatabase>(services);
        Add<IIngestStore, SqliteIngestStore, PostgresIngestStore>(services);
        Add<IInboxStore, SqliteInboxStore, PostgresInboxStore>(services);
        Add<IEscalationStore, SqliteEscalationStore, PostgresEscalationStore>(services);
        Add<IOutboxStore, SqliteOutboxStore, PostgresOutboxStore>(services);
        Add<IAlertQueries, AlertQueries, PostgresAlertQueries>(services);
        Add<IAcknowledgements, AcknowledgementStore, PostgresAcknowledgements>(services);
        Add<ISilenceStore, SilenceStore, PostgresSilences>(services);
        Add<IHistoryRetention, HistoryRetention, PostgresRetention>(services);
        Add<IUsedLinks, UsedLinkStore, PostgresUsedLinks>(services);
        return services;
    }

    /// <summary>Whether the configured store is PostgreSQL.</summary>
    public static bool IsPostgres(this IServiceProvider provider) => provider.GetRequiredService<IOptions<DatabaseOptions>>().Value.IsPostgres;

    private static void Add<TService, TSqlite, TPostgres>(IServiceCollection services)
        where TService : class
        where TSqlite : class, TService
        where TPostgres : class, TService
    {
        services.TryAddSingleton<TSqlite>();
        services.TryAddSingleton<TPostgres>();
        services.AddSingleton<TService>(provider => provider.IsPostgres() ? provider.GetRequiredService<TPostgres>() : provider.GetRequiredService<TSqlite>());
    }
}
