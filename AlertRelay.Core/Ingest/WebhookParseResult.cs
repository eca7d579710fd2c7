namespace AlertRelay.Core.Ingest;

/// <summary>The outcome of parsing a webhook body: a message, or the reason and field errors that reject it.</summary>
public sealed record WebhookParseResult(WebhookMessage? Message, string? RejectReason, IReadOnlyList<FieldError> Errors)
{
    /// <summary>Alerts whose sent fingerprint differs from the one computed from their labels (informational).</summary>
    public IReadOnlyList<FieldError> Warnings { get; init; } = [];

    public bool IsValid => Message is not null;

    public static WebhookParseResult Rejected(string reason, IReadOnlyList<FieldError> errors) => new(null, reason, errors);
}
