using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using AlertRelay.Api.Contracts;
using AlertRelay.Api.Hosting;
using AlertRelay.Api.Security;
using AlertRelay.Core.Ingest;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace AlertRelay.Api.Endpoints;

/// <summary>
/// <c>POST /webhook</c>: Alertmanager's webhook receiver. 2xx only once the body is durably in the inbox: 200 with what changed when
/// the writer applied it within <c>AlertRelay:Ingest:ApplyWaitMilliseconds</c>, else 202 (applied shortly after).
/// </summary>
public static class WebhookEndpoints
{
    private const int MaxLoggedWarnings = 10;

    public static IEndpointRouteBuilder MapWebhookEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/webhook", ReceiveAsync)
            .WithTags("Ingest")
            .WithName("ReceiveWebhook")
            .WithSummary("Receive an Alertmanager webhook notification (payload version 4)")
            .WithDescription("Answers once the body is durably stored: 200 with what changed when it was also applied within "
                + "AlertRelay:Ingest:ApplyWaitMilliseconds, else 202 (queued: applied shortly after, in order). Malformed bodies get 400 "
                + "(nothing stored), bodies over the size limit 413, a missing or wrong bearer token 401, and a store failure or a full "
                + "inbox 503 with Retry-After so that Alertmanager retries.")
            // Documented rather than declared with Accepts<T>(), which would make routing answer 415 to a
            // script that posts without a Content-Type; the body is parsed as JSON whatever it claims.
            .AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
            {
                var schema = await context.GetOrCreateSchemaAsync(typeof(WebhookPayloadDoc), cancellationToken: cancellationToken);
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
                };
            })
            .Produces<WebhookQueued>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .DisableAntiforgery()
            .RequireWebhookToken();
        return routes;
    }

    private static async Task<Results<Ok<WebhookAccepted>, Accepted<WebhookQueued>, ValidationProblem, ProblemHttpResult>> ReceiveAsync(
        HttpContext http, InboxAppender inbox, TimeProvider time, IOptions<IngestOptions> options, ILoggerFactory loggers, ApiMetrics metrics,
        CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        metrics.WebhooksReceived.Add(1);
        var result = await HandleAsync(http, inbox, time, options.Value, loggers.CreateLogger(typeof(WebhookEndpoints)), metrics, cancellationToken);
        var code = result.Result switch
        {
            IStatusCodeHttpResult { StatusCode: { } status } => status,
            _ => StatusCodes.Status200OK,
        };
        metrics.WebhookDuration.Record(
            Stopwatch.GetElapsedTime(started).TotalSeconds, new TagList { { "code", code.ToString(System.Globalization.CultureInfo.InvariantCulture) } });
        return result;
    }

    private static async Task<Results<Ok<WebhookAccepted>, Accepted<WebhookQueued>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        HttpContext http, InboxAppender inbox, TimeProvider time, IngestOptions options, ILogger logger, ApiMetrics metrics,
        CancellationToken cancellationToken)
    {
        var maxBodyBytes = options.MaxBodyBytes;
        byte[] body;
        if (http.Request.ContentLength > maxBodyBytes)
        {
            return TooLarge(maxBodyBytes, metrics);
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = maxBodyBytes;
        }

        WebhookParseResult parsed;
        var reader = http.Request.BodyReader;
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(cancellationToken);
                if (read.Buffer.Length > maxBodyBytes)
                {
                    reader.AdvanceTo(read.Buffer.End);
                    return TooLarge(maxBodyBytes, metrics);
                }

                if (read.IsCompleted)
                {
                    parsed = WebhookParser.Parse(read.Buffer);
                    body = parsed.IsValid ? read.Buffer.ToArray() : [];
                    reader.AdvanceTo(read.Buffer.End);
                    break;
                }

                reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(maxBodyBytes, metrics);
        }
        catch (BadHttpRequestException ex)
        {
            // The client went away mid-body (a killed sender, a timeout): nothing to store, nobody to answer, no stack trace.
            metrics.Rejected.Add(1, new TagList { { "reason", "incomplete" } });
            logger.LogDebug("Webhook body not received whole: {message}", ex.Message);
            return TypedResults.Problem(title: "Incomplete request body", detail: $"{ex.Message} Nothing was stored.", statusCode: ex.StatusCode);
        }

        if (!parsed.IsValid)
        {
            metrics.Rejected.Add(1, new TagList { { "reason", parsed.RejectReason! } });
            logger.LogWarning("Rejected webhook ({reason}): {errors}", parsed.RejectReason,
                string.Join("; ", parsed.Errors.Select(e => $"{e.Field}: {e.Message}")));
            return TypedResults.ValidationProblem(
                parsed.Errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
                title: "Invalid Alertmanager webhook payload",
                detail: "Nothing from this request was stored.");
        }

        // One line per alert whose fingerprint does not match, but not 10,000 of them for one body.
        foreach (var warning in parsed.Warnings.Take(MaxLoggedWarnings))
        {
            logger.LogWarning("Webhook {field}: {message}", warning.Field, warning.Message);
        }

        if (parsed.Warnings.Count > MaxLoggedWarnings)
        {
            logger.LogWarning("Webhook: {count} more alerts whose fingerprint does not match their labels (not logged one by one)",
                parsed.Warnings.Count - MaxLoggedWarnings);
        }

        var message = parsed.Message!;
        if (message.TruncatedAlerts > 0)
        {
            // Alertmanager's max_alerts cut this notification: those alerts never reach AlertRelay.
            metrics.AlertsTruncated.Add(message.TruncatedAlerts);
            logger.LogWarning("Alertmanager truncated {truncated} alerts from group {groupKey} (receiver {receiver}); raise max_alerts in its webhook_config",
                message.TruncatedAlerts, message.GroupKey, message.Receiver);
        }

        InboxReceipt receipt;
        try
        {
            receipt = await inbox.AcceptAsync(body, message, cancellationToken);
        }
        catch (InboxFullException ex)
        {
            metrics.Rejected.Add(1, new TagList { { "reason", "backlog" } });
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(ex.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(
                title: "Too many alerts waiting to be applied",
                detail: $"{ex.Message}; nothing from this request was stored, retry later.",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        catch (IngestUnavailableException ex)
        {
            metrics.Rejected.Add(1, new TagList { { "reason", "unavailable" } });
            http.Response.Headers.RetryAfter = "1";
            return TypedResults.Problem(
                title: "History store unavailable",
                detail: $"{ex.Message}; nothing from this request was stored, retry later.",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        // Durable from here on. When nothing else waits for the writer (a quiet moment, a script), wait a moment for it to apply the
        // body and say what changed; under load answer at once, so that the 2xx path never runs at the chain's pace.
        if (options.ApplyWaitMilliseconds > 0 && receipt.Alone)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var waited = Task.Delay(TimeSpan.FromMilliseconds(options.ApplyWaitMilliseconds), time, timeout.Token);
            if (await Task.WhenAny(receipt.Applied, waited) == receipt.Applied && receipt.Applied.Result is { } stored)
            {
                await timeout.CancelAsync();
                logger.LogDebug("Stored webhook from receiver {receiver} group {groupKey}: {alerts} alerts, {created} new, {changed} changed, {duplicates} duplicates",
                    message.Receiver, message.GroupKey, stored.Alerts, stored.Created, stored.Changed, stored.Duplicates);
                return TypedResults.Ok(new WebhookAccepted(stored.Alerts, stored.Created, stored.Changed, stored.Duplicates));
            }

            await timeout.CancelAsync();
        }

        return TypedResults.Accepted((string?)null, new WebhookQueued(receipt.Alerts, true, receipt.Id));
    }

    private static ProblemHttpResult TooLarge(long maxBodyBytes, ApiMetrics metrics)
    {
        metrics.Rejected.Add(1, new TagList { { "reason", "too_large" } });
        return TypedResults.Problem(
            title: "Request body too large",
            detail: $"The webhook body exceeds AlertRelay:Ingest:MaxBodyBytes ({maxBodyBytes} bytes); nothing was stored.",
            statusCode: StatusCodes.Status413PayloadTooLarge,
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["body"] = [$"larger than {maxBodyBytes} bytes"] } });
    }
}
