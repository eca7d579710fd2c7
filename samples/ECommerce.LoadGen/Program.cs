using ECommerce.LoadGen;

var (options, error) = LoadOptions.Parse(args);
if (options is null)
{
    var isHelp = error == LoadOptions.Usage;
    (isHelp ? Console.Out : Console.Error).WriteLine(isHelp ? error : $"{error}\n\n{LoadOptions.Usage}");
    return isHelp ? 0 : 2;
}

using var interrupted = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C ends the run early and still prints the report.
    e.Cancel = true;
    interrupted.Cancel();
};

Console.WriteLine($"Loading {options.Url} with {options.Users} users for {options.Duration} (ramp-up {options.RampUp}, think time {options.ThinkTime.TotalMilliseconds} ms)");
var runner = new LoadRunner(options);
using var progressStop = new CancellationTokenSource();
var progress = new ProgressPrinter(runner, Console.Out, interactive: !Console.IsOutputRedirected, TimeProvider.System).RunAsync(progressStop.Token);

LoadReport report;
try
{
    report = await runner.RunAsync(interrupted.Token);
}
catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
{
    await progressStop.CancelAsync();
    await progress;
    Console.Error.WriteLine("Interrupted before the run started.");
    return 1;
}

await progressStop.CancelAsync();
await progress;
Console.WriteLine();
ReportPrinter.Print(report, Console.Out);
return report.Reached ? 0 : 1;
