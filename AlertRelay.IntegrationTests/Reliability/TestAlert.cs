namespace AlertRelay.IntegrationTests.Reliability;

/// <summary>An alert a reliability test posts: its unique name (the alertname label), whether it routes to Slack/email, and its startsAt.</summary>
public sealed record TestAlert(string Name, bool Notify, DateTimeOffset StartsAt);
