namespace AlertRelay.Core.Oncall;

/// <summary>
/// The actions a link names (its <c>action</c> parameter): <c>view</c> only shows the page; the others are what its button POSTs.
/// The name is signed with the id and the expiry, so a link for one action cannot be turned into another.
/// </summary>
public sealed record LinkAction(string Name, OncallActionKind? Kind, TimeSpan? Duration, string Button)
{
    public static readonly LinkAction View = new("view", null, null, "");
    public static readonly LinkAction Acknowledge = new("acknowledge", OncallActionKind.Acknowledge, null, "Acknowledge");
    public static readonly LinkAction Unacknowledge = new("unacknowledge", OncallActionKind.Unacknowledge, null, "Unacknowledge");
    public static readonly LinkAction Silence1h = new("silence-1h", OncallActionKind.Silence, TimeSpan.FromHours(1), "Silence 1h");
    public static readonly LinkAction Unsilence = new("unsilence", OncallActionKind.Unsilence, null, "Unsilence");

    public static IReadOnlyList<LinkAction> All { get; } = [View, Acknowledge, Unacknowledge, Silence1h, Unsilence];

    /// <summary>The action of a name (ordinal: names are lowercase and signed as they are), or null.</summary>
    public static LinkAction? Parse(string? name) => All.FirstOrDefault(a => a.Name == name);

    /// <summary>The link action for an on-call action (a silence from a link lasts one hour).</summary>
    public static LinkAction Of(OncallActionKind kind) => kind switch
    {
        OncallActionKind.Acknowledge => Acknowledge,
        OncallActionKind.Unacknowledge => Unacknowledge,
        OncallActionKind.Silence => Silence1h,
        OncallActionKind.Unsilence => Unsilence,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public bool IsView => Kind is null;

    /// <summary>
    /// The actions a view link's page offers for an occurrence in this state: none once resolved; otherwise acknowledge or take the
    /// acknowledgement back, and silence for an hour or end the silence.
    /// </summary>
    public static IReadOnlyList<LinkAction> Offered(bool firing, bool acknowledged, bool silenced) =>
        !firing ? [] : [acknowledged ? Unacknowledge : Acknowledge, silenced ? Unsilence : Silence1h];
}
