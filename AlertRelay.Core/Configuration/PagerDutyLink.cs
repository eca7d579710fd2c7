namespace AlertRelay.Core.Configuration;

/// <summary>One of a <c>pagerduty_configs</c> entry's <c>links</c>: <c>href</c> and <c>text</c>, each a template.</summary>
public sealed record PagerDutyLink(string Href, string? Text);
