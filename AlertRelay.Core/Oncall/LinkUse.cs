namespace AlertRelay.Core.Oncall;

/// <summary>The outcome of <see cref="IUsedLinks.TryUseAsync"/>.</summary>
public enum LinkUse
{
    /// <summary>This caller used the link: it may act.</summary>
    First,

    /// <summary>Someone (or an earlier click) used it before: nothing may happen.</summary>
    AlreadyUsed,

    /// <summary>The occurrence is gone (retention): nothing to act on.</summary>
    NoOccurrence,
}
