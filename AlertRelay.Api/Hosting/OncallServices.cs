using AlertRelay.Core.Oncall;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AlertRelay.Api.Hosting;

/// <summary>The on-call loop: the actions (Slack buttons, signed links, REST), the Alertmanager silencer and the signed links.</summary>
public static class OncallServices
{
    public static IServiceCollection AddOncall(this IServiceCollection services)
    {
        services.AddSingleton<IOncallActions, OncallActions>();
        services.AddSilences();
        services.AddSlackInteractivity();
        AddLinks(services);
        services.TryAddSingleton<ISilencer, NoSilencer>();
        services.TryAddSingleton<IAlertLinks>(NoAlertLinks.Instance);
        return services;
    }

    /// <summary>Signed links (<c>AlertRelay:Links</c>, <c>AlertRelay:PublicUrl</c>): <see cref="AlertLinks"/> when configured, else <see cref="NoAlertLinks"/>.</summary>
    private static void AddLinks(IServiceCollection services)
    {
        services.AddOptions<AlertLinksOptions>()
            .BindConfiguration(AlertLinksOptions.SectionName)
            .Configure<IConfiguration>((options, configuration) => options.PublicUrl = configuration[AlertLinksOptions.PublicUrlSetting])
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AlertLinksOptions>>(new OptionsValidation<AlertLinksOptions>(o => o.Validate()));
        services.AddSingleton<IAlertLinks>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<AlertLinksOptions>>().Value;
            return options.IsEnabled
                ? new AlertLinks(options.ResolveSecret(), options.PublicUrl!, TimeSpan.FromHours(options.ExpiryHours))
                : NoAlertLinks.Instance;
        });
        services.AddSingleton<LinkMetrics>();
        services.AddSingleton(provider => new LinkFailureLimiter(provider.GetRequiredService<TimeProvider>()));
    }

    /// <summary>The start-up warnings of the on-call loop: one line per feature that is off for want of a setting.</summary>
    /// <remarks>Reads the configuration unvalidated: a bad value is the host start's error (ValidateOnStart), not this warning's.</remarks>
    public static void WarnDisabled(IConfiguration configuration, ILogger logger)
    {
        var links = configuration.GetSection(AlertLinksOptions.SectionName).Get<AlertLinksOptions>() ?? new AlertLinksOptions();
        links.PublicUrl = configuration[AlertLinksOptions.PublicUrlSetting];
        if (links.DisabledReason() is { } reason)
        {
            logger.LogWarning("{setting}", reason);
        }
    }
}
