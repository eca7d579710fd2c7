using System.Net;
using System.Text;

namespace AlertRelay.Tests.Notify.Slack;

/// <summary>An HttpMessageHandler that answers every request with one canned response, for answers the stub does not give.</summary>
internal sealed class CannedHandler(HttpStatusCode status, string body, string contentType = "text/html", Action<HttpResponseMessage>? configure = null)
    : HttpMessageHandler
{
    public int Calls { get; private set; }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Calls++;
        var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, contentType), RequestMessage = request };
        configure?.Invoke(response);
        return Task.FromResult(response);
    }
}
