namespace AlertRelay.Core.Oncall;

/// <summary>
/// Signed links to the alert page (<c>AlertRelay:PublicUrl</c> + HMAC with <c>AlertRelay:Links:Secret</c>): what Slack's
/// "Open in AlertRelay" and the email's Acknowledge / Silence 1h point to. Null when links are disabled (no secret or no public
/// URL: then buttons and links that need them are not rendered).
/// </summary>
public interface IAlertLinks
{
    /// <summary>The alert page of an occurrence (no action), or null when links are disabled.</summary>
    Uri? Page(long occurrenceId, DateTimeOffset now);

    /// <summary>A link that offers one action on the page (GET shows, the page's button POSTs), or null when links are disabled.</summary>
    Uri? Action(long occurrenceId, OncallActionKind action, DateTimeOffset now);
}
