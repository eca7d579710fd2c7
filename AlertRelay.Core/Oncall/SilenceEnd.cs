namespace AlertRelay.Core.Oncall;

/// <summary>
/// Why a recorded silence ended (the <c>reason</c> of the <c>unsilenced</c> event): it ran out (<see cref="Expired"/>), someone
/// expired or deleted it in Alertmanager itself (<see cref="Deleted"/>), or someone unsilenced it here (<see cref="Unsilenced"/>, with
/// <see cref="By"/>).
/// </summary>
public sealed record SilenceEnd(string Reason, Actor? By = null)
{
    public const string Expired = "expired";
    public const string Deleted = "deleted in Alertmanager";
    public const string Unsilenced = "unsilenced";

    public static SilenceEnd RanOut { get; } = new(Expired);

    public static SilenceEnd DeletedInAlertmanager { get; } = new(Deleted);

    public static SilenceEnd ByActor(Actor by) => new(Unsilenced, by);
}
