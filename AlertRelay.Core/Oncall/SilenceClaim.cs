using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.Oncall;

/// <summary>The outcome of claiming an occurrence's silence slot, with the occurrence's labels (claimed) or its current silence.</summary>
public sealed record SilenceClaim(SilenceClaimOutcome Outcome, LabelSet Labels, ActiveSilence? Silence = null);
