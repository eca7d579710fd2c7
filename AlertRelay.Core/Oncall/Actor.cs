namespace AlertRelay.Core.Oncall;

/// <summary>
/// Who takes an on-call action, and from where: <see cref="Name"/> is what the timeline, Slack and the page show; <see cref="Id"/>
/// the source's own id for them (a Slack user id), when it has one; <see cref="Source"/> one of <see cref="ActorSources"/>.
/// </summary>
public sealed record Actor(string Name, string Source, string? Id = null);
