using AlertRelay.Core.Alerts;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Schedules;

namespace AlertRelay.Core.History;

/// <summary>A due notification as the claim query of either outbox store selects it.</summary>
// A class with setters: Dapper types a NULL column from its value, which a constructor cannot take.
internal sealed class ClaimRow
{
    public long Id { get; set; }

    public string Receiver { get; set; } = "";

    public string Integration { get; set; } = "";

    public long IntegrationIndex { get; set; }

    public string Kind { get; set; } = "";

    public string? Detail { get; set; }

    public long Attempts { get; set; }

    public long CreatedAtMs { get; set; }

    public bool Reclaimed { get; set; }

    public string? PagedSchedule { get; set; }

    public string? PagedParticipant { get; set; }

    public ClaimedNotification ToClaimed() => new(
        Id, new NotificationTarget(Receiver, Integration, (int)IntegrationIndex), Outbox.ParseKind(Kind), Detail, (int)Attempts,
        UnixMillis.ToDateTimeOffset(CreatedAtMs), Reclaimed)
    {
        Page = PagedSchedule is not null && PagedParticipant is not null ? new OncallPage(PagedSchedule, PagedParticipant) : null,
    };

    /// <summary>The candidates (in claim order) a claim takes: as many per target as <see cref="OutboxClaim.RoomFor"/> leaves room for.</summary>
    public static List<ClaimedNotification> Within(IEnumerable<ClaimRow> candidates, OutboxClaim claim)
    {
        var claimed = new List<ClaimedNotification>();
        var taken = new Dictionary<NotificationTarget, int>();
        foreach (var notification in candidates.Select(c => c.ToClaimed()))
        {
            var already = taken.GetValueOrDefault(notification.Target);
            if (already < claim.RoomFor(notification.Target))
            {
                claimed.Add(notification);
                taken[notification.Target] = already + 1;
            }
        }

        return claimed;
    }

    /// <summary>The target as one string (receiver, integration, index; unit-separated), as the claim queries build it.</summary>
    public static string TargetKey(NotificationTarget target) =>
        $"{target.Receiver}\u001f{target.Integration}\u001f{target.Index.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}
