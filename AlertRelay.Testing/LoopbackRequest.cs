namespace AlertRelay.Testing;

/// <summary>A request a <see cref="LoopbackServer"/> read, with the answer the test queued for it, if any.</summary>
internal sealed record LoopbackRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public LoopbackAnswer? Queued { get; init; }
}
