namespace AlertRelay.Core.Schedules;

/// <summary>A person who can be on call (<c>participants[]</c>): how to reach them by email and by Slack direct message (either may be absent).</summary>
public sealed record Participant(string Name, string? Email, string? SlackUserId);
