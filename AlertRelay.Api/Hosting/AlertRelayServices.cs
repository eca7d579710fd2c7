using System.Diagnostics.Metrics;
using AlertRelay.Api.Endpoints;
using AlertRelay.Api.Security;
using AlertRelay.Api.Workers;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Escalation;
using AlertRelay.Core.Heartbeats;
using AlertRelay.Core.Dedup;
using AlertRelay.Core.History;
using AlertRelay.Core.Ingest;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Notify.Email;
using AlertRelay.Core.Pipeline;
using AlertRelay.Core.Notify.Slack;
using AlertRelay.Core.Notify.PagerDuty;
using AlertRelay.Core.Notify.Teams;
using AlertRelay.Core.Notify.Webhook;
using AlertRelay.Core.Oncall;
using Microsoft.Extensions.Options;
using Prometheus;
using Scalar.AspNetCore;

namespace AlertRelay.Api.Hosting;

/// <summary>Wires AlertRelay into an ASP.NET Core host: services, start-up checks, middleware and endpoints.</summary>
public static class AlertRelayServices
{
    /// <summary>Label names of every labelled AlertRelay instrument, for the exporter.</summary>
    internal static IReadOnlyDictionary<string, IReadOnlyList<string>> MetricLabelNames { get; } =
        new[] { IngestMetrics.LabelNames, NotifyMetrics.LabelNames, EscalationMetrics.LabelNames, HistoryMetrics.LabelNames, ConfigMetrics.LabelNames, ApiMetrics.LabelNames, SlackInteractionMetrics.LabelNames,
                LinkMetrics.LabelNames, HeartbeatMetrics.LabelNames }
            .SelectMany(names => names)
            .ToDictionary();

    public static WebApplicationBuilder AddAlertRelay(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        AddMetrics(services);

        AddValidatedOptions<DatabaseOptions>(services, DatabaseOptions.SectionName, o => o.Validate());
        AddValidatedOptions<IngestOptions>(services, IngestOptions.SectionName, o => o.Validate());
        AddValidatedOptions<NotifyOptions>(services, NotifyOptions.SectionName, o => o.Validate());
        AddValidatedOptions<HistoryOptions>(services, HistoryOptions.SectionName, o => o.Validate());
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName);

        services.AddOptions<ConfigOptions>().BindConfiguration(ConfigOptions.SectionName); // AlertRelay:Config, as config check reads it
        services.AddSingleton(provider => RelayConfigProvider.Load(
            provider.GetRequiredService<IConfiguration>()[RelayConfigLoader.ConfigFileSetting],
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILoggerFactory>().CreateLogger("AlertRelay.Configuration"),
            provider.GetRequiredService<ConfigMetrics>(),
            provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<ConfigOptions>>().Value));
        services.AddHistoryStore();
        services.AddSingleton<EscalationScheduler>();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<RetryPolicy>();
        services.AddSingleton<OutcomeRecorder>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddSingleton<OutboxQueries>();
        services.AddHttpClient(SlackNotifier.HttpClientName); // timeout: AlertRelay:Notify:SlackTimeoutSeconds, set per client by SlackNotifier
        services.AddSingleton<INotifier, SlackNotifier>();
        services.AddSingleton<INotifier, EmailNotifier>(); // timeout: AlertRelay:Notify:SmtpTimeoutSeconds
        services.AddHttpClient(WebhookNotifier.HttpClientName); // timeout: AlertRelay:Notify:WebhookTimeoutSeconds, set per client
        services.AddHttpClient(WebhookNotifier.NoRedirectsHttpClientName) // follow_redirects: false
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.AddSingleton<INotifier, WebhookNotifier>();
        services.AddHttpClient(PagerDutyNotifier.HttpClientName); // timeout: the entry's timeout or AlertRelay:Notify:PagerDutyTimeoutSeconds, set per client
        services.AddHttpClient(PagerDutyNotifier.NoRedirectsHttpClientName) // follow_redirects: false
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.AddSingleton<INotifier, PagerDutyNotifier>();
        services.AddHttpClient(TeamsNotifier.HttpClientName); // timeout: AlertRelay:Notify:MsTeamsV2TimeoutSeconds, set per client
        services.AddHttpClient(TeamsNotifier.NoRedirectsHttpClientName) // follow_redirects: false
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.AddSingleton<INotifier, TeamsNotifier>();
        services.AddSingleton<IdentityIndex>();
        services.AddSingleton<IngestState>();
        services.AddSingleton<IngestWriter>();
        services.AddSingleton<InboxHandoff>();
        services.AddSingleton<InboxAppender>();
        services.AddSingleton<TokenGuard>();
        services.AddOncall();
        services.AddHeartbeats();
        services.AddHostedService<IngestWorker>();
        services.AddHostedService<CheckpointWorker>();
        services.AddHostedService<EscalationWorker>();
        services.AddHostedService<NotifyWorker>();
        services.AddHostedService<RetentionWorker>();
        services.AddHostedService<SighupReloadWorker>();

        services.AddProblemDetails();
        services.AddOpenApi(options => options.AddDocumentTransformer<BearerSecurityTransformer>());
        return builder;
    }

    /// <summary>
    /// Every metric is recorded on the host's AlertRelay meter (<see cref="IMeterFactory"/>) and exported at /metrics by
    /// <see cref="PrometheusMeterExporter"/> under the names, labels and buckets the dashboards, rules and runbooks use.
    /// </summary>
    private static void AddMetrics(IServiceCollection services)
    {
        services.AddMetrics();
        services.AddSingleton<IngestMetrics>();
        services.AddSingleton<NotifyMetrics>();
        services.AddSingleton<EscalationMetrics>();
        services.AddSingleton<HistoryMetrics>();
        services.AddSingleton<ConfigMetrics>();
        services.AddSingleton<ApiMetrics>();
        services.AddSingleton(provider =>
        {
            var exporter = new PrometheusMeterExporter(provider.GetRequiredService<IMeterFactory>(), MetricLabelNames, Metrics.DefaultRegistry);

            // Every instrument now, so that /metrics lists each family (and each unlabelled counter at 0) from the first scrape.
            _ = provider.GetRequiredService<IngestMetrics>();
            _ = provider.GetRequiredService<NotifyMetrics>();
            _ = provider.GetRequiredService<EscalationMetrics>();
            _ = provider.GetRequiredService<HistoryMetrics>();
            _ = provider.GetRequiredService<ConfigMetrics>();
            _ = provider.GetRequiredService<ApiMetrics>();
            _ = provider.GetRequiredService<SlackInteractionMetrics>();
            _ = provider.GetRequiredService<LinkMetrics>();
            _ = provider.GetRequiredService<HeartbeatMetrics>();
            return exporter;
        });

        // prometheus-net's default MeterAdapter (which exports ASP.NET Core's meters) would export the AlertRelay meter a second
        // time, under other names and as gauges: it is the exporter's alone. Set before the first scrape, which starts the adapter.
        Metrics.ConfigureMeterAdapter(options => options.InstrumentFilterPredicate = instrument => instrument.Meter.Name != AlertRelayMeter.Name);
    }

    private static void AddValidatedOptions<TOptions>(IServiceCollection services, string section, Func<TOptions, IEnumerable<string>> validate)
        where TOptions : class
    {
        services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>>(new OptionsValidation<TOptions>(validate));
    }

    /// <summary>Migrates the database before the first request, warns about open endpoints, adds middleware and maps every endpoint.</summary>
    public static WebApplication UseAlertRelay(this WebApplication app)
    {
        // Listen before anything records.
        _ = app.Services.GetRequiredService<PrometheusMeterExporter>();

        // Refuse to start on an invalid configuration file, before touching the database.
        _ = app.Services.GetRequiredService<RelayConfigProvider>();
        var schema = app.Services.GetRequiredService<IStoreSchema>();
        schema.Migrate();

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("AlertRelay");
        logger.LogInformation("History database: {database}", schema.Description);
        foreach (var unused in app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.Unused())
        {
            logger.LogWarning("{setting}", unused);
        }
        var guard = app.Services.GetRequiredService<TokenGuard>();
        if (!guard.Webhook.IsRequired)
        {
            logger.LogWarning("SECURITY: no webhook token configured (AlertRelay:Auth:WebhookToken): POST /webhook accepts alerts from anyone. Set AlertRelay__Auth__WebhookToken in production.");
        }

        if (!guard.Read.IsRequired)
        {
            logger.LogWarning("SECURITY: no read token configured (AlertRelay:Auth:ReadToken): the alert history API is open to anyone. Set AlertRelay__Auth__ReadToken in production.");
        }

        OncallServices.WarnDisabled(app.Configuration, logger);

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseHttpMetrics();

        app.MapOpenApi();
        app.MapScalarApiReference();
        app.MapMetrics();
        app.MapHealthEndpoints();
        app.MapWebhookEndpoints();
        app.MapAlertEndpoints();
        app.MapAckEndpoints();
        app.UseSilences();
        app.MapReloadEndpoints();
        app.MapNotificationEndpoints();
        app.MapSlackInteractionEndpoints();
        app.MapAlertPageEndpoints();
        app.MapOncallEndpoints();
        app.MapHeartbeatEndpoints();
        app.MapGet("/", () => TypedResults.Redirect("/scalar/v1")).ExcludeFromDescription();
        return app;
    }
}
