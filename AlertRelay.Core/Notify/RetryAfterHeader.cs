namespace AlertRelay.Core.Notify;

/// <summary>How long an HTTP answer asks to wait before trying again (<c>Retry-After</c>), for every HTTP integration.</summary>
public static class RetryAfterHeader
{
    /// <summary>The seconds form, or the HTTP-date form measured against the server's own Date header (no local clock involved); null when absent.</summary>
    public static TimeSpan? Of(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date && response.Headers.Date is { } serverNow)
        {
            var wait = date - serverNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }
}
