using System.Collections.Concurrent;

namespace AlertRelay.IntegrationTests.Reliability;

/// <summary>Asks GET /readyz every <c>interval</c> in the background and records each answer (the status code, or 0 when none came).</summary>
public sealed class ReadinessSampler : IAsyncDisposable
{
    private readonly HttpClient _client;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<(DateTimeOffset At, int Status)> _samples = new();
    private readonly Task _loop;

    private ReadinessSampler(Uri relay, TimeSpan interval)
    {
        _client = new HttpClient { BaseAddress = relay, Timeout = TimeSpan.FromSeconds(5) };
        _loop = Task.Run(() => RunAsync(interval));
    }

    public IReadOnlyList<(DateTimeOffset At, int Status)> Samples => [.. _samples];

    public static ReadinessSampler Start(Uri relay, TimeSpan interval) => new(relay, interval);

    /// <summary>The answers received between <paramref name="from"/> and <paramref name="to"/>.</summary>
    public IReadOnlyList<int> Between(DateTimeOffset from, DateTimeOffset to) => [.. _samples.Where(s => s.At >= from && s.At < to).Select(s => s.Status)];

    private async Task RunAsync(TimeSpan interval)
    {
        while (!_stop.IsCancellationRequested)
        {
            int status;
            try
            {
                using var response = await _client.GetAsync("/readyz", _stop.Token);
                status = (int)response.StatusCode;
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
            {
                status = 0;
            }

            _samples.Enqueue((DateTimeOffset.UtcNow, status));
            try
            {
                await Task.Delay(interval, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _client.Dispose();
        _stop.Dispose();
    }
}
