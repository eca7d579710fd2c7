using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.Heartbeats;

/// <summary>
/// A dead man's switch (<c>heartbeats[]</c>): firing alerts matching <see cref="Matchers"/> must keep arriving; when none has for
/// <see cref="Timeout"/>, AlertRelay opens a <c>HeartbeatMissing</c> occurrence routed to <see cref="Receiver"/>.
/// </summary>
public sealed record Heartbeat(string Name, IReadOnlyList<Matcher> Matchers, TimeSpan Timeout, string Receiver);
