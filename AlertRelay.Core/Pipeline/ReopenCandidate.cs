using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.Pipeline;

/// <summary>A resolved occurrence whose re-open is due for confirmation, with its alert rebuilt (firing) from the stored row.</summary>
public sealed record ReopenCandidate(long Id, Alert Alert);
