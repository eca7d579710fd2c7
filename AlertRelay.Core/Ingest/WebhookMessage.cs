using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.Ingest;

/// <summary>A validated Alertmanager webhook notification (payload version 4) with its alerts normalised.</summary>
public sealed record WebhookMessage(
    string Receiver,
    AlertStatus Status,
    string GroupKey,
    int TruncatedAlerts,
    LabelSet GroupLabels,
    LabelSet CommonLabels,
    LabelSet CommonAnnotations,
    string ExternalUrl,
    IReadOnlyList<Alert> Alerts);
