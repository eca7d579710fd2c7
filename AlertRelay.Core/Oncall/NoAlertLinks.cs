namespace AlertRelay.Core.Oncall;

/// <summary>Links disabled (no secret or no public URL configured): nothing renders a link.</summary>
public sealed class NoAlertLinks : IAlertLinks
{
    public static NoAlertLinks Instance { get; } = new();

    public Uri? Page(long occurrenceId, DateTimeOffset now) => null;

    public Uri? Action(long occurrenceId, OncallActionKind action, DateTimeOffset now) => null;
}
