namespace AlertRelay.Core.Configuration;

/// <summary>One of a <c>pagerduty_configs</c> entry's <c>images</c>: <c>src</c>, <c>alt</c> and <c>href</c>, each a template.</summary>
public sealed record PagerDutyImage(string Src, string? Alt, string? Href);
