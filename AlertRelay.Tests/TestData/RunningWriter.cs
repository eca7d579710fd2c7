using AlertRelay.Core.Ingest;

namespace AlertRelay.Tests.TestData;

/// <summary>An ingest writer with its loop running, stopped (and drained) on dispose.</summary>
public sealed class RunningWriter : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public RunningWriter(IngestWriter pipeline)
    {
        Pipeline = pipeline;
        _loop = Task.Run(() => pipeline.RunAsync(_stop.Token));
    }

    public IngestWriter Pipeline { get; }

    public Task<IngestResult> SubmitAsync(WebhookMessage message) => Pipeline.SubmitAsync(message, CancellationToken.None);

    public Task<IngestResult> SubmitAsync(byte[] body) => SubmitAsync(WebhookParser.Parse(body).Message!);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
