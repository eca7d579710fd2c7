using ECommerce.Api.Auth;
using ECommerce.Api.Cart;
using ECommerce.Api.Catalog;
using ECommerce.Api.Data;
using ECommerce.Api.Faults;
using ECommerce.Api.Health;
using ECommerce.Api.Monitoring;
using ECommerce.Api.Orders;
using ECommerce.Api.Workers;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Prometheus;

namespace ECommerce.Api.Hosting;

/// <summary>Wires the demo shop into an ASP.NET Core host: services, database seeding, middleware and endpoints.</summary>
public static class ECommerceServices
{
    public static WebApplicationBuilder AddECommerce(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<ECommerceOptions>().BindConfiguration(ECommerceOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ECommerceOptions>, ECommerceOptionsValidation>();

        services.AddSingleton<ShopDatabase>();
        services.AddSingleton<AccountStore>();
        services.AddSingleton<CatalogStore>();
        services.AddSingleton<CartStore>();
        services.AddSingleton<OrderStore>();
        services.AddSingleton<ActiveUserTracker>();
        services.AddSingleton<ShopMetrics>();
        services.AddSingleton(provider => new FaultInjector(provider.GetRequiredService<IOptions<ECommerceOptions>>().Value.Faults));
        services.AddHostedService<RestockWorker>();

        services.AddAuthentication(BearerTokenHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null);
        services.AddAuthorization();
        services.AddProblemDetails();
        return builder;
    }

    /// <summary>Creates and seeds the database, then adds the middleware (metrics outermost) and maps every endpoint.</summary>
    public static WebApplication UseECommerce(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ECommerceOptions>>().Value;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ECommerce");
        var database = app.Services.GetRequiredService<ShopDatabase>();
        database.Migrate();
        var (products, users) = database.Run(connection => ShopSeeder.Seed(connection, options));
        logger.LogInformation("Shop database {database}: seeded {products} products and {users} users", database.Description, products, users);
        if (string.IsNullOrEmpty(options.AdminToken))
        {
            logger.LogWarning("No admin token (ECommerce:AdminToken): /admin/faults answers loopback clients only.");
        }

        // Metrics first, so they see every request with its final status, including the exception handler's 500s.
        app.UseMiddleware<RequestMetricsMiddleware>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRouting();
        app.Use(RequestMetricsMiddleware.CaptureRouteAsync);
        app.UseMiddleware<FaultInjectionMiddleware>();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapMetrics("/metrics", app.Services.GetRequiredService<ShopMetrics>().Registry);
        app.MapHealthEndpoints();
        app.MapAuthEndpoints();
        app.MapProductEndpoints();
        app.MapCartEndpoints();
        app.MapOrderEndpoints();
        app.MapFaultEndpoints();
        return app;
    }
}
