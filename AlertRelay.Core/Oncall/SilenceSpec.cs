namespace AlertRelay.Core.Oncall;

/// <summary>A silence to create in Alertmanager (the body of <c>POST /api/v2/silences</c>).</summary>
public sealed record SilenceSpec(IReadOnlyList<SilenceMatcher> Matchers, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string CreatedBy, string Comment);
