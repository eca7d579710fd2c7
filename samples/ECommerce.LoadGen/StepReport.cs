namespace ECommerce.LoadGen;

/// <summary>The figures of one journey step (or of all of them): requests, errors and latency percentiles.</summary>
public sealed record StepReport(string Step, long Requests, long Errors, TimeSpan P50, TimeSpan P95, TimeSpan P99);
