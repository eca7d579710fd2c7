using AlertRelay.Core.Alerts;
using AlertRelay.Core.Ingest;
using AlertRelay.Core.Routing;

namespace AlertRelay.Core.Pipeline;

/// <summary>
/// A new occurrence row: the alert (already resolved when it is a late copy of a superseded one), where it came from,
/// when it ended, and the receivers routing chose. <paramref name="Id"/> is allocated by the store before the insert.
/// </summary>
public sealed record NewOccurrence(long Id, Alert Alert, AlertContext Context, long? EndsAtMs, RoutedReceivers Receivers);
