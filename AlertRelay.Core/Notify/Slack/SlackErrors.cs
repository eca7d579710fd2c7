using System.Net;

namespace AlertRelay.Core.Notify.Slack;

/// <summary>Classifies Slack's failures like Alertmanager's Retrier: 429, 5xx, rate limits and Slack-side faults retry; everything else is permanent.</summary>
/// <remarks>
/// HTTP 200 with <c>"ok": false</c> is a failure too, classified by its error code; a code this class does not know is
/// permanent and the reason says so.
/// </remarks>
public static class SlackErrors
{
    private static readonly HashSet<string> Retryable = new(StringComparer.Ordinal)
    {
        "ratelimited", "rate_limited", "internal_error", "fatal_error", "service_unavailable", "request_timeout",
    };

    private static readonly HashSet<string> KnownPermanent = new(StringComparer.Ordinal)
    {
        "invalid_auth", "not_authed", "channel_not_found", "is_archived", "msg_too_long", "no_text", "invalid_blocks",
        "token_revoked", "account_inactive", "missing_scope", "not_in_channel", "message_not_found", "cant_update_message",
        // Incoming-webhook bodies (with a 4xx status).
        "invalid_payload", "invalid_token", "no_service", "no_service_id", "no_team", "team_disabled", "action_prohibited",
        "posting_to_general_channel_denied", "channel_is_archived", "user_not_found", "edit_window_closed",
    };

    /// <summary>Whether an error code from a Slack body is worth retrying.</summary>
    public static bool IsRetryable(string error) => Retryable.Contains(error);

    /// <summary>Whether the code is one Slack documents (retryable or permanent), as opposed to one this client does not know.</summary>
    public static bool IsKnown(string error) => Retryable.Contains(error) || KnownPermanent.Contains(error);

    /// <summary>The result for a Web API body <c>{"ok": false, "error": ...}</c>; unknown codes are permanent, and the reason says so.</summary>
    public static NotifyResult Classify(string method, string error, TimeSpan? retryAfter = null)
    {
        if (IsRetryable(error))
        {
            return NotifyResult.RetryLater($"slack {method}: {error}", retryAfter);
        }

        return KnownPermanent.Contains(error)
            ? NotifyResult.Permanent($"slack {method}: {error}")
            : NotifyResult.Permanent($"slack {method}: {error} (an error code AlertRelay does not know; not retried)");
    }

    /// <summary>The result for a non-2xx HTTP status: 429 and 5xx retry (honouring Retry-After), the rest is permanent.</summary>
    public static NotifyResult ClassifyStatus(string method, HttpStatusCode status, string? detail, TimeSpan? retryAfter = null)
    {
        var code = (int)status;
        var reason = string.IsNullOrEmpty(detail) ? $"slack {method}: HTTP {code}" : $"slack {method}: HTTP {code} {detail}";
        return code == 429 || code >= 500
            ? NotifyResult.RetryLater(reason, retryAfter)
            : NotifyResult.Permanent(reason);
    }
}
