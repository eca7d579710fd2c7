using AlertRelay.Api.Workers;
using AlertRelay.Core.Heartbeats;
using Microsoft.Extensions.Options;

namespace AlertRelay.Api.Hosting;

/// <summary>Heartbeats (dead man's switches): the pass's settings, what it remembers and shows, its metrics and its worker.</summary>
public static class HeartbeatServices
{
    public static IServiceCollection AddHeartbeats(this IServiceCollection services)
    {
        services.AddOptions<HeartbeatOptions>().BindConfiguration(HeartbeatOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HeartbeatOptions>>(new OptionsValidation<HeartbeatOptions>(o => o.Validate()));
        services.AddSingleton<HeartbeatWatch>();
        services.AddSingleton<HeartbeatBoard>();
        services.AddSingleton<HeartbeatMetrics>();
        services.AddHostedService<HeartbeatWorker>();
        return services;
    }
}
