namespace AlertRelay.Core.Alerts;

/// <summary>The operator of a label matcher, in the same order (and with the same numeric values) as Alertmanager's <c>labels.MatchType</c>.</summary>
public enum MatchType
{
    /// <summary><c>=</c>: the label value equals the matcher value.</summary>
    Equal = 0,

    /// <summary><c>!=</c>: the label value does not equal the matcher value.</summary>
    NotEqual = 1,

    /// <summary><c>=~</c>: the whole label value matches the regular expression.</summary>
    Regex = 2,

    /// <summary><c>!~</c>: the whole label value does not match the regular expression.</summary>
    NotRegex = 3,
}
