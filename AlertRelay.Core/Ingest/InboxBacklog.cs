namespace AlertRelay.Core.Ingest;

/// <summary>What the inbox holds that the writer has not applied yet (failed rows excluded).</summary>
public readonly record struct InboxBacklog(long Rows, long Bytes, long Alerts);
