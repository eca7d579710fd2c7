using System.Globalization;

namespace ECommerce.LoadGen;

/// <summary>
/// Prints the run's progress: on a terminal one line rewritten in place every second, otherwise
/// (a log, a pipe) a new line every few seconds.
/// </summary>
public sealed class ProgressPrinter(LoadRunner runner, TextWriter output, bool interactive, TimeProvider time)
{
    private int _lastWidth;

    /// <summary>Prints until <paramref name="cancellationToken"/> fires, then ends the line in place.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interactive ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(5), time);
        var previous = runner.Snapshot();
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var current = runner.Snapshot();
                Print(Format(current, previous));
                previous = current;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        if (interactive && _lastWidth > 0)
        {
            output.WriteLine();
        }
    }

    /// <summary>The progress line: elapsed time, users, requests, current rate, errors and p95 so far.</summary>
    public static string Format(LoadSnapshot current, LoadSnapshot previous)
    {
        var seconds = (current.Elapsed - previous.Elapsed).TotalSeconds;
        var rate = seconds > 0 ? (current.Requests - previous.Requests) / seconds : 0;
        return string.Create(CultureInfo.InvariantCulture,
            $"[{current.Elapsed:hh\\:mm\\:ss}] users {current.ActiveUsers}/{current.Users}  requests {current.Requests}  "
            + $"rps {rate:F1}  errors {current.Errors}  p95 {current.P95.TotalMilliseconds:F1} ms");
    }

    private void Print(string line)
    {
        if (interactive)
        {
            // Pad over what the previous, longer line left behind.
            output.Write("\r" + line.PadRight(_lastWidth));
            _lastWidth = line.Length;
        }
        else
        {
            output.WriteLine(line);
        }

        output.Flush();
    }
}
