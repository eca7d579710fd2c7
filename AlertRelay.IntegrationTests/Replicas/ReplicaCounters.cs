using System.Globalization;

namespace AlertRelay.IntegrationTests.Replicas;

/// <summary>What one replica's /metrics says it did: alerts received (duplicates included), of them duplicates, occurrences it stored, notifications it delivered, and notifications it claimed again after another's lease ran out.</summary>
public sealed record ReplicaCounters(double Received, double Duplicates, double Stored, double SentSlack, double SentEmail, double ReclaimedSlack, double ReclaimedEmail)
{
    public double Reclaimed => ReclaimedSlack + ReclaimedEmail;

    public static async Task<ReplicaCounters> ReadAsync(ServerProcess replica) => new(
        await replica.MetricAsync("alertrelay_alerts_received_total"),
        await replica.MetricAsync("alertrelay_alerts_duplicate_total"),
        await replica.MetricAsync("alertrelay_alerts_stored_total"),
        await replica.MetricAsync("alertrelay_notifications_total", "integration=\"slack\""),
        await replica.MetricAsync("alertrelay_notifications_total", "integration=\"email\""),
        await replica.MetricAsync("alertrelay_notifications_reclaimed_total", "integration=\"slack\""),
        await replica.MetricAsync("alertrelay_notifications_reclaimed_total", "integration=\"email\""));

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"received {Received} alerts ({Duplicates} duplicates), stored {Stored}, delivered {SentSlack} Slack + {SentEmail} email, reclaimed {ReclaimedSlack} Slack + {ReclaimedEmail} email");
}
