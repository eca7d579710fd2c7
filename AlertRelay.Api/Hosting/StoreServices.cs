using AlertRelay.Api.Workers;
using AlertRelay.Core.Escalation;
using AlertRelay.Core.History;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Pipeline;
using AlertRelay.Core.Postgres;

namespace AlertRelay.Api.Hosting;

/// <summary>
/// The history store the configuration chooses (<c>AlertRelay:Database:Provider</c>): SQLite, the embedded default, or PostgreSQL
/// for one or several replicas. Every store interface Core defines gets that engine's implementation; nothing else in the host
/// knows which engine it is.
/// </summary>
public static class StoreServices
{
    public static IServiceCollection AddHistoryStore(this IServiceCollection services, IConfiguration configuration)
    {
        var provider = configuration[$"{DatabaseOptions.SectionName}:{nameof(DatabaseOptions.Provider)}"];
        if (string.Equals(provider, DatabaseOptions.Postgres, StringComparison.OrdinalIgnoreCase))
        {
            services.AddSingleton<PostgresDatabase>();
            services.AddSingleton<IStoreSchema>(p => p.GetRequiredService<PostgresDatabase>());
            services.AddSingleton<IStoreHealth>(p => p.GetRequiredService<PostgresDatabase>());
            services.AddSingleton<IIngestStore, PostgresIngestStore>();
            services.AddSingleton<IEscalationStore, PostgresEscalationStore>();
            services.AddSingleton<IOutboxStore, PostgresOutboxStore>();
            services.AddSingleton<IAlertQueries, PostgresAlertQueries>();
            services.AddSingleton<IAcknowledgements, PostgresAcknowledgements>();
            services.AddSingleton<IHistoryRetention, PostgresRetention>();
            return services;
        }

        // An unknown provider is refused by DatabaseOptions' validation at start-up.
        services.AddSingleton<HistoryDatabase>();
        services.AddSingleton<IStoreSchema>(p => p.GetRequiredService<HistoryDatabase>());
        services.AddSingleton<IStoreHealth>(p => p.GetRequiredService<HistoryDatabase>());
        services.AddSingleton<IIngestStore, SqliteIngestStore>();
        services.AddSingleton<IEscalationStore, SqliteEscalationStore>();
        services.AddSingleton<IOutboxStore, SqliteOutboxStore>();
        services.AddSingleton<IAlertQueries, AlertQueries>();
        services.AddSingleton<IAcknowledgements, AcknowledgementStore>();
        services.AddSingleton<IHistoryRetention, HistoryRetention>();
        services.AddSingleton<WalCheckpointer>();
        services.AddHostedService<CheckpointWorker>();
        return services;
    }
}
