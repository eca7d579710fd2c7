using ECommerce.Api.Monitoring;
using Microsoft.AspNetCore.Routing.Patterns;

namespace ECommerce.Tests.Monitoring;

public sealed class RouteLabelsTests
{
    [Theory]
    [InlineData("/api/cart/items/{productId}", "/api/cart/items/{productId}")]
    [InlineData("/api/products/{productId:long}", "/api/products/{productId}")]
    [InlineData("/api/products/{productId:long:min(1)=1}", "/api/products/{productId}")]
    [InlineData("/files/{*path}", "/files/{*path}")]
    [InlineData("/api/{name}.{ext?}", "/api/{name}.{ext}")]
    [InlineData("/", "/")]
    public void Template_DropsConstraintsAndDefaults_WhenThePatternHasThem(string pattern, string label)
    {
        Assert.Equal(label, RouteLabels.Template(RoutePatternFactory.Parse(pattern)));
    }

    [Fact]
    public void For_IsUnmatched_WhenThereIsNoRouteEndpoint()
    {
        Assert.Equal(RouteLabels.Unmatched, RouteLabels.For(null));
        Assert.Equal(RouteLabels.Unmatched, RouteLabels.For(new Microsoft.AspNetCore.Http.Endpoint(null, null, "405")));
    }

    [Theory]
    [InlineData("get", "GET")]
    [InlineData("DELETE", "DELETE")]
    [InlineData("PROPFIND", "OTHER")]
    public void Method_IsOther_WhenNotAStandardMethod(string method, string label)
    {
        Assert.Equal(label, RouteLabels.Method(method));
    }
}
