using AlertRelay.Core.Notify;

namespace AlertRelay.Core.Schedules;

/// <summary>The integrations a receiver name reaches at one instant, and who they page (<see langword="null"/> for an ordinary receiver).</summary>
public sealed record OncallPagingTargets(OncallPage? Page, IReadOnlyList<NotificationTarget> Targets);
