namespace AlertRelay.Core.Ingest;

/// <summary>A validated webhook body to append to the inbox, with the number of alerts it holds.</summary>
public readonly record struct InboxBody(ReadOnlyMemory<byte> Bytes, int Alerts);
