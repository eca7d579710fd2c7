using AlertRelay.Core.Oncall;

namespace AlertRelay.Core.History;

/// <summary>The REST API's acknowledgement (source <see cref="ActorSources.Api"/>; acknowledging again replaces).</summary>
public static class AcknowledgementsExtensions
{
    public static Task<AckOutcome> AcknowledgeAsync(
        this IAcknowledgements acknowledgements, long id, string by, string? comment, DateTimeOffset? expiresAt, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        acknowledgements.AcknowledgeAsync(id, new Actor(by, ActorSources.Api), comment, expiresAt, replace: true, now, cancellationToken);

    public static Task<AckOutcome> UnacknowledgeAsync(
        this IAcknowledgements acknowledgements, long id, string? by, DateTimeOffset now, CancellationToken cancellationToken) =>
        acknowledgements.UnacknowledgeAsync(id, by is null ? null : new Actor(by, ActorSources.Api), now, cancellationToken);
}
