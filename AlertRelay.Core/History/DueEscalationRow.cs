using AlertRelay.Core.Alerts;
using AlertRelay.Core.Escalation;

namespace AlertRelay.Core.History;

/// <summary>A due escalation ladder with its occurrence's state, as the escalation store of either engine selects it.</summary>
// A class with setters: Dapper types a NULL column from its value, which a constructor cannot take.
internal sealed class DueEscalationRow
{
    public long OccurrenceId { get; set; }

    public string Policy { get; set; } = "";

    public long FiringSinceMs { get; set; }

    public long StepsDone { get; set; }

    public string Status { get; set; } = "";

    public string Severity { get; set; } = "";

    public long? InhibitedBy { get; set; }

    public string? AckedBy { get; set; }

    public string? AckComment { get; set; }

    public long? AckedAtMs { get; set; }

    public long? AckExpiresAtMs { get; set; }

    public long RemindersSent { get; set; }

    public long? NextReminderMs { get; set; }

    public string? SilenceId { get; set; }

    public long? SilenceEndsAtMs { get; set; }

    public DueEscalation ToDue(long nowMs) => new(
        OccurrenceId, Policy, FiringSinceMs, (int)StepsDone, Status == AlertStatusText.Firing, Severity, InhibitedBy,
        AckedBy is null
            ? null
            : new Acknowledgement(AckedBy, AckComment, UnixMillis.ToDateTimeOffset(AckedAtMs ?? nowMs),
                AckExpiresAtMs is { } expires ? UnixMillis.ToDateTimeOffset(expires) : null))
    {
        RemindersSent = (int)RemindersSent,
        NextReminderMs = NextReminderMs,
        // A silence counts while AlertRelay knows its id (cleared when noticed expired or deleted) and its end is ahead.
        SilencedUntilMs = SilenceId is null ? null : SilenceEndsAtMs,
    };
}
