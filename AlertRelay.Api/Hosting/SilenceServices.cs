using AlertRelay.Api.Endpoints;
using AlertRelay.Api.Workers;
using AlertRelay.Core.Oncall;
using Microsoft.Extensions.Options;

namespace AlertRelay.Api.Hosting;

/// <summary>
/// Silences through Alertmanager: the options (<c>AlertRelay:Alertmanager</c>, checked at start-up), its HTTP client, the silencer
/// (the real one when URLs are configured, else <see cref="NoSilencer"/>), the watcher and its worker, and the REST endpoints.
/// </summary>
public static class SilenceServices
{
    public static IServiceCollection AddSilences(this IServiceCollection services)
    {
        services.AddOptions<AlertmanagerOptions>().BindConfiguration(AlertmanagerOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AlertmanagerOptions>>(new OptionsValidation<AlertmanagerOptions>(o => o.Validate()));
        services.AddHttpClient(AlertmanagerClient.HttpClientName); // timeout: AlertRelay:Alertmanager:TimeoutSeconds, set per call
        services.AddSingleton<AlertmanagerClient>();
        services.AddSingleton<AlertmanagerSilencer>();
        services.AddSingleton<SilenceWatcher>();
        services.AddSingleton<ISilencer>(provider => provider.GetRequiredService<IOptions<AlertmanagerOptions>>().Value.IsConfigured
            ? provider.GetRequiredService<AlertmanagerSilencer>()
            : new NoSilencer());
        services.AddHostedService<SilenceWatchWorker>();
        return services;
    }

    /// <summary>Checks the options (a bad URL stops the start with one line naming the setting), warns when silences are off, maps the endpoints.</summary>
    public static WebApplication UseSilences(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<AlertmanagerOptions>>().Value;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("AlertRelay.Silences");
        if (options.IsConfigured)
        {
            logger.LogInformation("Silences are created in Alertmanager at {urls} (tried in this order)", string.Join(", ", options.BaseUrls));
        }
        else
        {
            logger.LogWarning("Silences are off: no Alertmanager configured (AlertRelay:Alertmanager:Urls). Silence buttons, links and POST /api/alerts/<id>/silence answer that they are not configured.");
        }

        app.MapSilenceEndpoints();
        return app;
    }
}
