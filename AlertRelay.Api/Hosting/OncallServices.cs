using AlertRelay.Core.Oncall;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AlertRelay.Api.Hosting;

/// <summary>The on-call loop: the actions (Slack buttons, signed links, REST), the Alertmanager silencer and the signed links.</summary>
public static class OncallServices
{
    public static IServiceCollection AddOncall(this IServiceCollection services)
    {
        services.AddSingleton<IOncallActions, OncallActions>();
        services.AddSilences();
        services.AddSlackInteractivity();
        services.TryAddSingleton<ISilencer, NoSilencer>();
        services.TryAddSingleton<IAlertLinks>(NoAlertLinks.Instance);
        return services;
    }
}
