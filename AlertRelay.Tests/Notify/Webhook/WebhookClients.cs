using AlertRelay.Core.Notify.Webhook;

namespace AlertRelay.Tests.Notify.Webhook;

/// <summary>The two HttpClients the host registers for webhooks, made by hand: redirects followed, or not for <see cref="WebhookNotifier.NoRedirectsHttpClientName"/>.</summary>
internal sealed class WebhookClients : IHttpClientFactory, IDisposable
{
    private readonly List<HttpClient> _made = [];

    public List<string> Names { get; } = [];

    public HttpClient CreateClient(string name)
    {
        Names.Add(name);
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = name != WebhookNotifier.NoRedirectsHttpClientName });
        _made.Add(client);
        return client;
    }

    public void Dispose() => _made.ForEach(c => c.Dispose());
}
