using System.Globalization;

namespace ECommerce.LoadGen;

/// <summary>Writes the end-of-run summary: totals, a latency table per step and overall, and errors by status.</summary>
public static class ReportPrinter
{
    public static void Print(LoadReport report, TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        if (!report.Reached)
        {
            output.WriteLine($"Could not reach the API: {report.UnreachableReason}");
            return;
        }

        var overall = report.Overall;
        var errorShare = overall.Requests > 0 ? 100.0 * overall.Errors / overall.Requests : 0;
        output.WriteLine(string.Create(c,
            $"Done in {report.Elapsed.TotalSeconds:F1} s: {overall.Requests} requests, {report.RequestsPerSecond:F1} req/s, "
            + $"{overall.Errors} errors ({errorShare:F2} %)"));
        output.WriteLine();
        output.WriteLine($"{"step",-18}{"requests",10}{"errors",8}{"p50 ms",10}{"p95 ms",10}{"p99 ms",10}");
        foreach (var row in report.Steps.Append(overall))
        {
            output.WriteLine(string.Create(c,
                $"{row.Step,-18}{row.Requests,10}{row.Errors,8}{row.P50.TotalMilliseconds,10:F1}{row.P95.TotalMilliseconds,10:F1}{row.P99.TotalMilliseconds,10:F1}"));
        }

        output.WriteLine();
        if (report.ErrorsByStatus.Count == 0)
        {
            output.WriteLine("No errors.");
            return;
        }

        output.WriteLine("Errors by status:");
        foreach (var (status, count) in report.ErrorsByStatus)
        {
            output.WriteLine($"  {status,-12}{count,8}");
        }
    }
}
