using System.Diagnostics;
using AlertRelay.Api.Pages;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.History;
using AlertRelay.Core.Oncall;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AlertRelay.Api.Endpoints;

/// <summary>
/// The alert page of signed links (no read token: the signature is the permission and the anti-CSRF token). <c>GET /alerts/{id}</c>
/// only shows (mail scanners and link previews fetch links); its button POSTs to <c>/alerts/{id}</c>, which uses the link once and
/// acts through <see cref="IOncallActions"/>. With links disabled both answer 404.
/// </summary>
public static class AlertPageEndpoints
{
    private const int MaxNameLength = 200;

    public static IEndpointRouteBuilder MapAlertPageEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/alerts").WithTags("Alert page").ExcludeFromDescription();
        group.MapGet("/{id:long}", ShowAsync);
        group.MapPost("/{id:long}", ActAsync).DisableAntiforgery(); // the signed token is the anti-CSRF token
        return routes;
    }

    private static async Task<Results<ContentHttpResult, NotFound>> ShowAsync(
        long id, string? action, string? exp, string? sig, HttpContext context, IAlertLinks links, IUsedLinks used, IAlertQueries queries,
        LinkFailureLimiter limiter, LinkMetrics metrics, TimeProvider time, CancellationToken cancellationToken)
    {
        if (links is not AlertLinks signer)
        {
            return TypedResults.NotFound();
        }

        var now = time.GetUtcNow();
        if (Refusal(context, signer, limiter, metrics, id, action, exp, sig, now) is { } refused)
        {
            return refused;
        }

        var linkAction = LinkAction.Parse(action)!;
        if (!linkAction.IsView && await used.IsUsedAsync(LinkSignature.TokenHash(sig!), cancellationToken))
        {
            metrics.VerificationFailures.Add(1, new TagList { { "reason", "used" } });
            return UsedPage(context);
        }

        if (await queries.GetAsync(id, cancellationToken) is not { } found)
        {
            return GonePage(context, id);
        }

        var state = await used.PageStateAsync(id, cancellationToken);
        var resolved = found.Alert.Status == AlertStatus.Resolved;
        List<AlertPageForm> forms = linkAction.IsView
            ? Offered(found.Alert, now).Select(a => new AlertPageForm(a, signer.Token(id, a, now))).ToList()
            : resolved ? [] : [new AlertPageForm(linkAction, new LinkToken(id, linkAction.Name, long.Parse(exp!, System.Globalization.CultureInfo.InvariantCulture), sig!))];
        var notice = resolved ? "This alert is resolved: there is nothing to do." : null;
        return HtmlPage.Result(context.Response, StatusCodes.Status200OK, found.Alert.Alertname,
            AlertPageHtml.Body(found.Alert, found.Events, state, forms, notice: notice));
    }

    private static async Task<Results<ContentHttpResult, NotFound>> ActAsync(
        long id, HttpContext context, IAlertLinks links, IUsedLinks used, IAlertQueries queries, IOncallActions actions,
        LinkFailureLimiter limiter, LinkMetrics metrics, TimeProvider time, CancellationToken cancellationToken)
    {
        if (links is not AlertLinks signer)
        {
            return TypedResults.NotFound();
        }

        var now = time.GetUtcNow();
        IFormCollection form;
        try
        {
            form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(cancellationToken) : FormCollection.Empty;
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException)
        {
            // Past the form limits (keys, value lengths, body size): no form of the page looks like that.
            form = FormCollection.Empty;
        }

        string? action = form["action"], exp = form["exp"], sig = form["sig"], by = form["by"];
        if (Refusal(context, signer, limiter, metrics, id, action, exp, sig, now) is { } refused)
        {
            return refused;
        }

        var linkAction = LinkAction.Parse(action)!;
        if (linkAction.IsView)
        {
            return HtmlPage.Message(context.Response, StatusCodes.Status400BadRequest, "Nothing to do",
                "This link only shows the alert: use one of the page's buttons to act on it.");
        }

        var name = by?.Trim() ?? "";
        if (name.Length is 0 or > MaxNameLength)
        {
            return await NameMissingAsync(context, queries, used, id, linkAction, exp!, sig!, cancellationToken);
        }

        var tokenHash = LinkSignature.TokenHash(sig!);
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(long.Parse(exp!, System.Globalization.CultureInfo.InvariantCulture));
        switch (await used.TryUseAsync(tokenHash, id, linkAction.Name, expiresAt, now, cancellationToken))
        {
            case LinkUse.AlreadyUsed:
                metrics.VerificationFailures.Add(1, new TagList { { "reason", "used" } });
                return UsedPage(context);
            case LinkUse.NoOccurrence:
                return GonePage(context, id);
        }

        var actor = new Actor(name, ActorSources.Link);
        var result = linkAction.Kind switch
        {
            OncallActionKind.Acknowledge => await actions.AcknowledgeAsync(id, actor, null, cancellationToken),
            OncallActionKind.Unacknowledge => await actions.UnacknowledgeAsync(id, actor, cancellationToken),
            OncallActionKind.Silence => await actions.SilenceAsync(id, actor, linkAction.Duration!.Value, "from the AlertRelay alert page", cancellationToken),
            _ => await actions.UnsilenceAsync(id, actor, cancellationToken),
        };
        if (result.Outcome == OncallOutcome.Unavailable)
        {
            // Nothing changed: the link may be tried again once the cause (Alertmanager, configuration) is fixed.
            await used.ReleaseAsync(tokenHash, cancellationToken);
        }

        var page = signer.Page(id, now)!;
        return HtmlPage.Message(context.Response, StatusOf(result.Outcome), TitleOf(result.Outcome), result.Message,
            result.Outcome is OncallOutcome.Done or OncallOutcome.AlreadyDone ? "ok" : "bad",
            $"<p><a class=\"button\" href=\"{HtmlPage.E(page.AbsoluteUri)}\">Show the alert</a></p>");
    }

    /// <summary>The page that refuses a request (rate limited, or the link does not verify), counting the failure; null when it verifies.</summary>
    private static ContentHttpResult? Refusal(
        HttpContext context, AlertLinks signer, LinkFailureLimiter limiter, LinkMetrics metrics, long id, string? action, string? exp, string? sig, DateTimeOffset now)
    {
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (limiter.IsLimited(address))
        {
            metrics.VerificationFailures.Add(1, new TagList { { "reason", "rate_limited" } });
            context.Response.Headers.RetryAfter = ((int)limiter.Window.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return HtmlPage.Message(context.Response, StatusCodes.Status429TooManyRequests, "Too many attempts",
                "Too many links from your address failed to verify: wait a few minutes and open the link from your message again.");
        }

        var verdict = signer.Verify(id, action, exp, sig, now);
        if (verdict == LinkVerdict.Valid)
        {
            return null;
        }

        limiter.RecordFailure(address);
        metrics.VerificationFailures.Add(1, new TagList { { "reason", verdict.ToString().ToLowerInvariant() } });
        return verdict switch
        {
            LinkVerdict.Tampered => HtmlPage.Message(context.Response, StatusCodes.Status403Forbidden, "Link not valid",
                "This link's signature does not match: it was changed or cut short. Open the link from your message again, unchanged."),
            LinkVerdict.Expired => HtmlPage.Message(context.Response, StatusCodes.Status410Gone, "Link expired",
                "This link has expired. Use a newer message about this alert, or Slack, to act on it."),
            _ => HtmlPage.Message(context.Response, StatusCodes.Status400BadRequest, "Link incomplete",
                "This link is missing parts or has unreadable ones. Open the link from your message again, unchanged."),
        };
    }

    private static async Task<Results<ContentHttpResult, NotFound>> NameMissingAsync(
        HttpContext context, IAlertQueries queries, IUsedLinks used, long id, LinkAction action, string exp, string sig, CancellationToken cancellationToken)
    {
        if (await queries.GetAsync(id, cancellationToken) is not { } found)
        {
            return GonePage(context, id);
        }

        var token = new LinkToken(id, action.Name, long.Parse(exp, System.Globalization.CultureInfo.InvariantCulture), sig);
        return HtmlPage.Result(context.Response, StatusCodes.Status400BadRequest, found.Alert.Alertname, AlertPageHtml.Body(
            found.Alert, found.Events, await used.PageStateAsync(id, cancellationToken), [new AlertPageForm(action, token)],
            $"Enter your name (at most {MaxNameLength} characters): it is recorded with the action. Nothing was changed."));
    }

    private static IEnumerable<LinkAction> Offered(OccurrenceRecord alert, DateTimeOffset now) =>
        LinkAction.Offered(
            alert.Status == AlertStatus.Firing,
            alert.Ack is { } ack && (ack.ExpiresAt is null || ack.ExpiresAt > now),
            alert.Silence is { } silence && silence.EndsAt > now);

    private static ContentHttpResult UsedPage(HttpContext context) =>
        HtmlPage.Message(context.Response, StatusCodes.Status410Gone, "Link already used",
            "This link was already used, so nothing was changed. Each action link works once; open the alert from a newer message to act again.");

    private static ContentHttpResult GonePage(HttpContext context, long id) =>
        HtmlPage.Message(context.Response, StatusCodes.Status404NotFound, "Alert not found",
            $"Alert {id} no longer exists (retention may have removed it). Nothing was changed.");

    /// <summary>The status of an outcome's page: 2xx when the person's intent holds now, 4xx when it cannot (never 5xx).</summary>
    internal static int StatusOf(OncallOutcome outcome) => outcome switch
    {
        OncallOutcome.Done or OncallOutcome.AlreadyDone => StatusCodes.Status200OK,
        OncallOutcome.NotFound => StatusCodes.Status404NotFound,
        _ => StatusCodes.Status409Conflict,
    };

    private static string TitleOf(OncallOutcome outcome) => outcome switch
    {
        OncallOutcome.Done => "Done",
        OncallOutcome.AlreadyDone => "Already done",
        OncallOutcome.AlreadyResolved => "Already resolved",
        OncallOutcome.NotFound => "Alert not found",
        OncallOutcome.NotInThatState => "Nothing to undo",
        _ => "Not possible now",
    };
}
