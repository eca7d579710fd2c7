using System.Net;
using System.Net.Http.Headers;
using System.Reflection;

namespace AlertRelay.Core.Notify.Webhook;

/// <summary>POSTs one webhook body, one attempt, and classifies the answer like Alertmanager's notify Retrier: 2xx delivered, 429 and 5xx retried (Retry-After honoured), anything else permanent.</summary>
/// <remarks>
/// A typed client around the <see cref="HttpClient"/> the host's factory makes (its timeout set by the caller); no resilience
/// handler: the outbox is the one retry layer. Timeouts and transport failures (refused, reset, DNS) are retried; the caller's own
/// cancellation is thrown. Reasons never contain the URL (it may hold a token). Every JSON-over-HTTP integration (webhook, PagerDuty,
/// Teams) posts through it; <paramref name="integration"/> starts its reasons.
/// </remarks>
public sealed class WebhookClient(HttpClient http, string integration = Integrations.Webhook)
{
    private const int MaxDetailLength = 200;

    private static readonly ProductInfoHeaderValue UserAgent =
        new("AlertRelay", typeof(WebhookClient).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");

    public async Task<NotifyResult> PostAsync(Uri url, AuthenticationHeaderValue? authorization, byte[] body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.UserAgent.Add(UserAgent);
        request.Headers.Authorization = authorization;
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            return await ClassifyAsync(response, cancellationToken);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return NotifyResult.RetryLater($"{integration}: timed out"); // HttpClient.Timeout, not the caller giving up
        }
        catch (HttpRequestException ex)
        {
            return NotifyResult.RetryLater($"{integration}: {ex.Message}");
        }
        catch (IOException ex)
        {
            return NotifyResult.RetryLater($"{integration}: {ex.Message}");
        }
    }

    /// <summary>The classified answer: the pure rule (<see cref="Classify"/>) with the status, a short body and Retry-After.</summary>
    private async Task<NotifyResult> ClassifyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var body = status is >= 200 and <= 299 ? "" : await response.Content.ReadAsStringAsync(cancellationToken);
        return Classify(response.StatusCode, body, RetryAfterHeader.Of(response), integration);
    }

    /// <summary>Alertmanager's Retrier.Check with AlertRelay's 429 rule: 2xx delivered; 429 and 5xx retried; every other status permanent.</summary>
    public static NotifyResult Classify(HttpStatusCode statusCode, string body, TimeSpan? retryAfter, string integration = Integrations.Webhook)
    {
        var status = (int)statusCode;
        if (status is >= 200 and <= 299)
        {
            return NotifyResult.Delivered();
        }

        var detail = body.ReplaceLineEndings(" ").Trim();
        var reason = $"{integration}: unexpected status code {status}{(detail.Length == 0 ? "" : ": " + (detail.Length > MaxDetailLength ? detail[..MaxDetailLength] + "…" : detail))}";
        return status is 429 or >= 500 and <= 599 ? NotifyResult.RetryLater(reason, retryAfter) : NotifyResult.Permanent(reason);
    }
}
