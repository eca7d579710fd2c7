using System.Net.Http.Json;
using System.Text.Json;

namespace ECommerce.LoadGen;

/// <summary>
/// Runs the shop's user journey with <see cref="LoadOptions.Users"/> virtual users for <see cref="LoadOptions.Duration"/>,
/// starting them evenly over the ramp-up, and reports latencies per step and errors by status.
/// </summary>
public sealed class LoadRunner(LoadOptions options, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly LoadStats _stats = new();
    private long _startedAt;
    private int _activeUsers;
    private volatile bool _running;

    /// <summary>The run so far (safe to call from another thread while it runs).</summary>
    public LoadSnapshot Snapshot() => new(
        _running ? _time.GetElapsedTime(Interlocked.Read(ref _startedAt)) : TimeSpan.Zero,
        _stats.Requests,
        _stats.Errors,
        _stats.P95,
        Volatile.Read(ref _activeUsers),
        options.Users);

    /// <summary>
    /// Checks that the API answers (<c>/api/health</c>), then runs the users until the duration is up or
    /// <paramref name="cancellationToken"/> fires; the report says Reached = false when no answer came at all.
    /// </summary>
    public async Task<LoadReport> RunAsync(CancellationToken cancellationToken = default)
    {
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectTimeout = TimeSpan.FromSeconds(5),
        };
        using var http = new HttpClient(handler) { BaseAddress = options.Url, Timeout = TimeSpan.FromSeconds(30) };

        var categories = await PreflightAsync(http, cancellationToken);
        if (categories.Error is { } error)
        {
            var empty = _stats.Summarize(JourneySteps.All);
            return new LoadReport(false, error, TimeSpan.Zero, empty.Steps, empty.Overall, empty.ErrorsByStatus);
        }

        Interlocked.Exchange(ref _startedAt, _time.GetTimestamp());
        _running = true;
        using var deadline = new CancellationTokenSource(options.Duration, _time);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var users = Enumerable.Range(1, options.Users)
            .Select(number => RunUserAsync(number, http, categories.Slugs, stop.Token))
            .ToArray();
        await Task.WhenAll(users);
        var elapsed = _time.GetElapsedTime(Interlocked.Read(ref _startedAt));
        _running = false;

        var summary = _stats.Summarize(JourneySteps.All);
        return new LoadReport(true, null, elapsed, summary.Steps, summary.Overall, summary.ErrorsByStatus);
    }

    private async Task RunUserAsync(int number, HttpClient http, IReadOnlyList<string> categories, CancellationToken stop)
    {
        try
        {
            // User n starts (n-1)/users of the way into the ramp-up.
            var delay = options.RampUp * ((number - 1) / (double)options.Users);
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, _time, stop);
            }

            Interlocked.Increment(ref _activeUsers);
            try
            {
                await new VirtualUser(number, options, http, _stats, categories, _time).RunAsync(stop);
            }
            finally
            {
                Interlocked.Decrement(ref _activeUsers);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>One health check (any answer will do) and the category list, neither counted in the report.</summary>
    private static async Task<(IReadOnlyList<string> Slugs, string? Error)> PreflightAsync(HttpClient http, CancellationToken cancellationToken)
    {
        try
        {
            using (await http.GetAsync("/api/health", cancellationToken))
            {
            }
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return ([], $"{http.BaseAddress}api/health did not answer: {exception.Message}");
        }

        try
        {
            var categories = await http.GetFromJsonAsync<JsonElement>("/api/categories", cancellationToken);
            return (categories.EnumerateArray().Select(c => c.GetProperty("slug").GetString()!).ToArray(), null);
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonException or InvalidOperationException or KeyNotFoundException)
        {
            // Browsing falls back to all categories.
            return ([], null);
        }
    }
}
