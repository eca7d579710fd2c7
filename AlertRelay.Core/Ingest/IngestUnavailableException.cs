namespace AlertRelay.Core.Ingest;

/// <summary>The history store could not commit a webhook; the sender should retry (HTTP 503).</summary>
public sealed class IngestUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
