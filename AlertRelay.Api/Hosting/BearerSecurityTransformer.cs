using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace AlertRelay.Api.Hosting;

/// <summary>Declares the bearer-token scheme in the OpenAPI document so that the reference page can send it.</summary>
public sealed class BearerSecurityTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["Bearer"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "AlertRelay:Auth:WebhookToken for POST /webhook, AlertRelay:Auth:ReadToken for /api/*.",
        };
        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", document)] = [] });
        document.Info.Title = "AlertRelay";
        document.Info.Description = "Alertmanager webhook receiver with deduplication and a queryable alert history.";
        return Task.CompletedTask;
    }
}
