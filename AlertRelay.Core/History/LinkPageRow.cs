using AlertRelay.Core.Oncall;

namespace AlertRelay.Core.History;

/// <summary>The on-call columns of an occurrence the alert page shows, as either engine selects them.</summary>
// A class with setters: Dapper types a NULL column from its value, which a constructor cannot take.
internal sealed class LinkPageRow
{
    public const string Select = "SELECT acked_via AS AckedVia FROM alert_occurrences WHERE id = @Id";

    public string? AckedVia { get; set; }

    public LinkPageState ToState() => new(AckedVia);
}
