namespace AlertRelay.Testing;

/// <summary>A silence the <see cref="AlertmanagerStub"/> holds: what was posted, and its times as Alertmanager keeps them.</summary>
public sealed record AlertmanagerStubSilence(
    string Id,
    IReadOnlyList<(string Name, string Value, bool IsRegex, bool IsEqual)> Matchers,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string CreatedBy,
    string Comment)
{
    /// <summary>Alertmanager's state at <paramref name="now"/>: pending before it starts, active until it ends, then expired.</summary>
    public string State(DateTimeOffset now) => now < StartsAt ? "pending" : now < EndsAt ? "active" : "expired";
}
