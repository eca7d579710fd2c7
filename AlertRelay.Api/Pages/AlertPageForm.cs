using AlertRelay.Core.Oncall;

namespace AlertRelay.Api.Pages;

/// <summary>An action offered on the alert page with the signed token its form POSTs.</summary>
public sealed record AlertPageForm(LinkAction Action, LinkToken Token);
