using AlertRelay.Core.Oncall;

namespace AlertRelay.Tests.Notify.Slack;

/// <summary>Alert links as the links helper will give them: a page per occurrence under one base URL (or none).</summary>
internal sealed class FixedAlertLinks(string? baseUrl) : IAlertLinks
{
    public Uri? Page(long occurrenceId, DateTimeOffset now) => baseUrl is null ? null : new Uri($"{baseUrl}/alerts/{occurrenceId}?sig=abc");

    public Uri? Action(long occurrenceId, OncallActionKind action, DateTimeOffset now) => null;
}
