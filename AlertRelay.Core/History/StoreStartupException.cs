namespace AlertRelay.Core.History;

/// <summary>The store cannot start (unreachable, wrong setting, a schema newer than this build): one line for the operator, no stack trace.</summary>
public sealed class StoreStartupException(string message) : Exception(message);
