using System.Collections.Concurrent;
using System.Text;

namespace AlertRelay.IntegrationTests.Reliability;

/// <summary>
/// Drives POST /webhook with several concurrent posters. Each poster sends bodies of unique alerts (named
/// <c>{prefix}-{poster}-{body}-{alert}</c>) and, when <see cref="WebhookLoadOptions.ResolveAfterFiring"/> is set, the resolve of its
/// previous body once that body was accepted, as Alertmanager would. Every post and its answer is recorded.
/// </summary>
public sealed class WebhookLoad : IAsyncDisposable
{
    private readonly HttpClient _client;
    private readonly WebhookLoadOptions _options;
    private readonly ConcurrentQueue<WebhookPost> _posts = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly List<Task> _posters = [];
    private volatile bool _stopping;

    private WebhookLoad(Uri relay, WebhookLoadOptions options)
    {
        _options = options;
        _client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Posters, ConnectTimeout = TimeSpan.FromSeconds(2) })
        {
            BaseAddress = relay,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>Every post answered or given up so far.</summary>
    public IReadOnlyList<WebhookPost> Posts => [.. _posts];

    public static WebhookLoad Start(Uri relay, WebhookLoadOptions options)
    {
        var load = new WebhookLoad(relay, options);
        for (var poster = 0; poster < options.Posters; poster++)
        {
            var index = poster;
            load._posters.Add(Task.Run(() => load.RunPosterAsync(index)));
        }

        return load;
    }

    /// <summary>Posters finish the post they are sending (its answer is recorded) and stop.</summary>
    public async Task StopAsync()
    {
        _stopping = true;
        await Task.WhenAll(_posters);
    }

    /// <summary>Posters stop at once; posts in flight are recorded as unanswered.</summary>
    public async Task AbortAsync()
    {
        _stopping = true;
        await _abort.CancelAsync();
        await Task.WhenAll(_posters);
    }

    private async Task RunPosterAsync(int poster)
    {
        IReadOnlyList<TestAlert>? unresolved = null;
        for (var body = 0L; !_stopping; body++)
        {
            var alerts = Enumerable.Range(0, _options.AlertsPerBody)
                .Select(i => new TestAlert($"{_options.Prefix}-{poster}-{body}-{i}", i % _options.NotifyEvery == 0, _options.StartsAt))
                .ToList();
            var firing = await PostAsync(alerts, resolved: false);
            if (_options.ResolveAfterFiring && unresolved is not null && !_stopping)
            {
                await PostAsync(unresolved, resolved: true);
            }

            unresolved = firing.Accepted ? alerts : null;
            if (_options.Pause > TimeSpan.Zero && !_stopping)
            {
                await Task.Delay(_options.Pause);
            }
        }
    }

    private async Task<WebhookPost> PostAsync(IReadOnlyList<TestAlert> alerts, bool resolved)
    {
        var json = resolved ? WebhookBodies.Resolved(alerts, _options.StartsAt.AddMinutes(1)) : WebhookBodies.Firing(alerts);
        var sentAt = DateTimeOffset.UtcNow;
        int? status;
        try
        {
            using var response = await _client.PostAsync("/webhook", new StringContent(json, Encoding.UTF8, "application/json"), _abort.Token);
            status = (int)response.StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
        {
            status = null;
        }

        var post = new WebhookPost(alerts, resolved, status, sentAt, DateTimeOffset.UtcNow);
        _posts.Enqueue(post);
        if (status is null && !_stopping)
        {
            await Task.Delay(50); // the relay is not there: do not spin
        }

        return post;
    }

    public async ValueTask DisposeAsync()
    {
        await AbortAsync();
        _client.Dispose();
        _abort.Dispose();
    }
}
