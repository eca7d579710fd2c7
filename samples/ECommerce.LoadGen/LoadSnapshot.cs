namespace ECommerce.LoadGen;

/// <summary>The run so far, for the progress line.</summary>
public sealed record LoadSnapshot(TimeSpan Elapsed, long Requests, long Errors, TimeSpan P95, int ActiveUsers, int Users);
