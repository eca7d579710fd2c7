namespace AlertRelay.Core.Ingest;

/// <summary>An inbox row waiting to be applied: its id (the order rows are applied in), when it was accepted, and how many alerts it holds.</summary>
public sealed record InboxEntry(long Id, long ReceivedAtMs, int Alerts);
