using System.Text;
using Microsoft.AspNetCore.Routing.Patterns;

namespace ECommerce.Api.Monitoring;

/// <summary>Turns a matched endpoint into a bounded metric label: its route template, parameters without constraints.</summary>
public static class RouteLabels
{
    /// <summary>The label of requests no route matched (404s, 405s), so that unknown paths add no label values.</summary>
    public const string Unmatched = "unmatched";

    private static readonly string[] KnownMethods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];

    /// <summary>The route template of <paramref name="endpoint"/>, e.g. <c>/api/cart/items/{productId}</c>, or <see cref="Unmatched"/>.</summary>
    public static string For(Endpoint? endpoint) =>
        endpoint is RouteEndpoint route ? Template(route.RoutePattern) : Unmatched;

    /// <summary>The template with constraints and defaults left out: <c>{id:long}</c> becomes <c>{id}</c>.</summary>
    public static string Template(RoutePattern pattern)
    {
        if (pattern.PathSegments.Count == 0)
        {
            return "/";
        }

        var text = new StringBuilder();
        foreach (var segment in pattern.PathSegments)
        {
            text.Append('/');
            foreach (var part in segment.Parts)
            {
                switch (part)
                {
                    case RoutePatternLiteralPart literal:
                        text.Append(literal.Content);
                        break;
                    case RoutePatternSeparatorPart separator:
                        text.Append(separator.Content);
                        break;
                    case RoutePatternParameterPart parameter:
                        text.Append('{').Append(parameter.IsCatchAll ? "*" : "").Append(parameter.Name).Append('}');
                        break;
                }
            }
        }

        return text.ToString();
    }

    /// <summary>The method label: one of the standard methods, anything else as <c>OTHER</c>.</summary>
    public static string Method(string method)
    {
        foreach (var known in KnownMethods)
        {
            if (string.Equals(method, known, StringComparison.OrdinalIgnoreCase))
            {
                return known;
            }
        }

        return "OTHER";
    }
}
