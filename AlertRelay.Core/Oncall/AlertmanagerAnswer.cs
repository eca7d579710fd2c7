namespace AlertRelay.Core.Oncall;

/// <summary>
/// The answer of the configured Alertmanagers to one call: its kind, the value read from the body when <see cref="AlertmanagerAnswerKind.Ok"/>
/// (a silence id, a silence state), and a reason a person can read (which URL answered what, or why each failed).
/// </summary>
public sealed record AlertmanagerAnswer(AlertmanagerAnswerKind Kind, string? Value, string Reason)
{
    public bool IsOk => Kind == AlertmanagerAnswerKind.Ok;
}
