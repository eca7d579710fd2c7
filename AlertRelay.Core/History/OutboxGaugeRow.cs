using AlertRelay.Core.Alerts;
using AlertRelay.Core.Notify;

namespace AlertRelay.Core.History;

/// <summary>The outbox's pending and dead counts and oldest pending notification, as either outbox store selects them.</summary>
internal sealed class OutboxGaugeRow
{
    public long Pending { get; set; }

    public long? OldestMs { get; set; }

    public long Dead { get; set; }

    public OutboxGauges ToGauges() => new(Pending, Dead, OldestMs is { } oldest ? UnixMillis.ToDateTimeOffset(oldest) : null);
}
