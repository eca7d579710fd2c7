namespace AlertRelay.Core.Notify;

/// <summary>The integration names stored in the outbox and used as metric labels.</summary>
public static class Integrations
{
    public const string Slack = "slack";
    public const string Email = "email";
}
