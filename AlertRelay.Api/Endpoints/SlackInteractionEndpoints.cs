using System.Diagnostics;
using System.Globalization;
using System.Text;
using AlertRelay.Api.Hosting;
using AlertRelay.Core.Notify.Slack;
using AlertRelay.Core.Oncall;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace AlertRelay.Api.Endpoints;

/// <summary>
/// <c>POST /slack/interactions</c>: Slack's button clicks (<c>block_actions</c>). No API token: every request must carry Slack's
/// signature instead, or it gets 401 and changes nothing; an address that keeps failing gets 429.
/// </summary>
public static class SlackInteractionEndpoints
{
    /// <summary>Slack's payload holds the whole message clicked on; far below this, but a bound on what is read unsigned.</summary>
    public const int MaxBodyBytes = 1 << 20;

    public const string RetryHeader = "X-Slack-Retry-Num";

    public static IEndpointRouteBuilder MapSlackInteractionEndpoints(this IEndpointRouteBuilder routes)
    {
        // Read the secret now, once: a missing one is one warning at start-up, not one per request.
        var secret = routes.ServiceProvider.GetRequiredService<SlackSigningSecret>();
        if (secret.Problem is { } problem)
        {
            routes.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("AlertRelay.Slack").LogWarning("{problem}", problem);
        }

        var group = routes.MapGroup("/slack").WithTags("Slack");
        group.MapPost("/interactions", HandleAsync)
            .WithName("SlackInteraction")
            .WithSummary("Slack button clicks (Acknowledge, Unacknowledge, Silence 1h), signed with the app's signing secret")
            .WithDescription("Form field `payload` (JSON, type block_actions). Headers `X-Slack-Request-Timestamp` (within 5 minutes of now) "
                + "and `X-Slack-Signature` (`v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{body}`). The person who clicked gets the outcome "
                + "as an ephemeral message through `response_url`; the message itself is updated through the outbox.")
            .Accepts<IFormCollection>("application/x-www-form-urlencoded")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return routes;
    }

    private static async Task<Results<Ok, ProblemHttpResult>> HandleAsync(
        HttpContext http,
        SlackSigningSecret secret,
        [FromKeyedServices(SlackInteractivityServices.LimiterKey)] FailureRateLimiter limiter,
        SlackInteractionMetrics metrics,
        IOncallActions actions,
        SlackResponder responder,
        TimeProvider time,
        IHostApplicationLifetime lifetime,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (secret.Value is null)
        {
            return TypedResults.Problem(title: "Slack interactivity is off", detail: secret.Problem, statusCode: StatusCodes.Status404NotFound);
        }

        var body = await ReadBodyAsync(http.Request, cancellationToken);
        if (body is null)
        {
            return TypedResults.Problem(title: "Request too large", detail: $"body: more than {MaxBodyBytes} bytes", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        var check = SlackRequestSignature.Verify(
            secret.Value, http.Request.Headers[SlackRequestSignature.TimestampHeader], http.Request.Headers[SlackRequestSignature.SignatureHeader], body, now);
        if (check != SlackSignatureCheck.Valid)
        {
            return Refuse(http, check, limiter, metrics, now);
        }

        var form = new FormReader(Encoding.UTF8.GetString(body)).ReadForm();
        var (interaction, error) = SlackInteractionParser.Parse(form.TryGetValue("payload", out var payload) ? payload.ToString() : null);
        if (interaction is null)
        {
            return TypedResults.Problem(title: "Invalid Slack interaction", detail: error, statusCode: StatusCodes.Status400BadRequest);
        }

        if (interaction.Type != SlackInteractionParser.BlockActions || interaction.ActionId == SlackActionIds.Open)
        {
            return TypedResults.Ok(); // Not a button of ours to act on (the link button, a shortcut...): acknowledged, ignored.
        }

        var logger = loggers.CreateLogger("AlertRelay.Slack");
        var (action, refused) = SlackInteractionParser.Action(interaction);
        string answer;
        var quiet = false;
        if (action is null)
        {
            answer = refused!;
        }
        else
        {
            var actor = new Actor(interaction.UserName, ActorSources.Slack, interaction.UserId);
            // One transaction, committed before the 200: the action, its timeline event and the queued message updates are durable.
            var result = action.Kind switch
            {
                OncallActionKind.Acknowledge => await actions.AcknowledgeAsync(action.OccurrenceId, actor, null, cancellationToken),
                OncallActionKind.Unacknowledge => await actions.UnacknowledgeAsync(action.OccurrenceId, actor, cancellationToken),
                _ => await actions.SilenceAsync(action.OccurrenceId, actor, action.Duration!.Value, $"Silenced from Slack by {actor.Name}", cancellationToken),
            };
            logger.LogInformation("Slack {action} of alert {occurrenceId} by {user} ({userId}): {outcome}",
                action.Kind, action.OccurrenceId, actor.Name, actor.Id, result.Outcome);
            answer = result.Message;
            // Slack retries when the first answer was late; the first attempt already told the person, "already done" would confuse.
            quiet = result.Outcome == OncallOutcome.AlreadyDone && http.Request.Headers.ContainsKey(RetryHeader);
        }

        if (interaction.ResponseUrl is { } responseUrl && !quiet)
        {
            // Best effort and off the request: Slack wants its 200 within 3 seconds, and the answer is only a courtesy.
            _ = Task.Run(() => responder.RespondAsync(responseUrl, answer, lifetime.ApplicationStopping), CancellationToken.None);
        }

        return TypedResults.Ok();
    }

    /// <summary>401 for a request that failed verification, or 429 once its address has failed too often; counted either way.</summary>
    private static ProblemHttpResult Refuse(
        HttpContext http, SlackSignatureCheck check, FailureRateLimiter limiter, SlackInteractionMetrics metrics, DateTimeOffset now)
    {
        metrics.VerificationFailures.Add(1, new TagList { { "reason", SlackRequestSignature.Reason(check) } });
        // Verified requests are never limited (they are checked first), so forged requests sent from behind the same proxy as
        // Slack's cannot lock Slack out; only the failures of an address count against it.
        var source = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (limiter.RecordFailure(source, now))
        {
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(limiter.Window.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(title: "Too many failed verifications",
                detail: $"More than {limiter.MaxFailures} requests from this address failed Slack's signature check; try again later.",
                statusCode: StatusCodes.Status429TooManyRequests);
        }

        return TypedResults.Problem(title: "Slack signature not verified", detail: check switch
        {
            SlackSignatureCheck.Missing => $"{SlackRequestSignature.SignatureHeader} and {SlackRequestSignature.TimestampHeader} are required",
            SlackSignatureCheck.Stale => $"{SlackRequestSignature.TimestampHeader}: more than 5 minutes from now",
            _ => $"{SlackRequestSignature.SignatureHeader}: does not match the body",
        }, statusCode: StatusCodes.Status401Unauthorized);
    }

    /// <summary>The raw body (the signature covers its exact bytes), or null when larger than <see cref="MaxBodyBytes"/>.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
