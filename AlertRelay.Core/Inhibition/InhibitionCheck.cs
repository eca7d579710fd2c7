namespace AlertRelay.Core.Inhibition;

/// <summary>The outcome of checking one source against one target under one rule, with the first reason it fails (checked in this order).</summary>
public enum InhibitionCheck
{
    /// <summary>The source inhibits the target.</summary>
    Inhibits,

    /// <summary>The target does not match the rule's target matchers.</summary>
    TargetNotMatched,

    /// <summary>The source does not match the rule's source matchers.</summary>
    SourceNotMatched,

    /// <summary>The source is resolved.</summary>
    SourceNotFiring,

    /// <summary>The source is the target itself (same labels): an alert never inhibits itself.</summary>
    SameAlert,

    /// <summary>A label named in the rule's <c>equal</c> list has different values on source and target.</summary>
    EqualLabelDiffers,

    /// <summary>
    /// The target also matches the source matchers, and the source also matches the target matchers: Alertmanager's
    /// <c>excludeTwoSidedMatch</c>, which keeps two such alerts from muting each other.
    /// </summary>
    SourceAlsoTarget,
}
