using System.Diagnostics;

namespace AlertRelay.Testing;

/// <summary>
/// The one polling helper: polls a condition until it holds, or fails the test saying what did not happen (with logs when
/// given). Tests wait through it (or advance a fake clock), never for a fixed time.
/// </summary>
public static class Eventually
{
    /// <summary>How often <see cref="UntilAsync(Func{Task{bool}}, TimeSpan, string, Func{string}?)"/> asks.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(50);

    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, Func<string>? logs = null)
    {
        if (!await PollAsync(condition, timeout))
        {
            Assert.Fail($"timed out after {timeout.TotalSeconds:0} s waiting for {what}\n{logs?.Invoke()}");
        }
    }

    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what, Func<string>? logs = null) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, what, logs);

    /// <summary>
    /// Asks <paramref name="condition"/> every <paramref name="interval"/> (50 ms by default) until it holds (true) or
    /// <paramref name="timeout"/> has passed (false); it is asked at least once. For callers that report a timeout their
    /// own way (a server that did not start, the benchmark); an exception from the condition ends the wait.
    /// </summary>
    public static async Task<bool> PollAsync(
        Func<Task<bool>> condition, TimeSpan timeout, TimeSpan? interval = null, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        while (!await condition())
        {
            if (Stopwatch.GetElapsedTime(started) >= timeout)
            {
                return false;
            }

            await Task.Delay(interval ?? DefaultInterval, cancellationToken);
        }

        return true;
    }
}
