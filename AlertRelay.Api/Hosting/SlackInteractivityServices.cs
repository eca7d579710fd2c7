using AlertRelay.Core.Notify.Slack;
using AlertRelay.Core.Oncall;
using Microsoft.Extensions.Options;

namespace AlertRelay.Api.Hosting;

/// <summary>Slack interactivity: the signing secret (read once), the limiter of failed verifications, the metric and the response_url client.</summary>
public static class SlackInteractivityServices
{
    /// <summary>The key of the <see cref="FailureRateLimiter"/> of <c>POST /slack/interactions</c>.</summary>
    public const string LimiterKey = "slack-interactions";

    public static IServiceCollection AddSlackInteractivity(this IServiceCollection services)
    {
        services.AddOptions<SlackOptions>().BindConfiguration(SlackOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SlackOptions>>(new OptionsValidation<SlackOptions>(o => o.Validate()));
        services.AddSingleton(provider => SlackSigningSecret.Load(provider.GetRequiredService<IOptions<SlackOptions>>().Value));
        services.AddKeyedSingleton(LimiterKey, (provider, _) =>
        {
            var options = provider.GetRequiredService<IOptions<SlackOptions>>().Value;
            return new FailureRateLimiter(options.MaxVerificationFailures, TimeSpan.FromSeconds(options.FailureWindowSeconds));
        });
        services.AddSingleton<SlackInteractionMetrics>();
        services.AddHttpClient(SlackResponder.HttpClientName); // timeout: SlackResponder.Timeout, set per client
        services.AddSingleton<SlackResponder>();
        return services;
    }
}
