namespace AlertRelay.Core.Oncall;

/// <summary>How the configured Alertmanagers answered a call (<see cref="AlertmanagerAnswer.Kind"/>).</summary>
public enum AlertmanagerAnswerKind
{
    /// <summary>One answered 2xx with the body the contract promises.</summary>
    Ok,

    /// <summary>One answered 404: no such silence there.</summary>
    NotFound,

    /// <summary>One answered another 4xx: the request itself is wrong (trying the others would not help).</summary>
    Refused,

    /// <summary>None answered: each refused the connection, timed out, or failed with 5xx or an unreadable body.</summary>
    Unreachable,
}
