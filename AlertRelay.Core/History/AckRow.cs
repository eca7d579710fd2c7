namespace AlertRelay.Core.History;

/// <summary>An occurrence's acknowledger (null when not acknowledged), as the acknowledgement store of either engine selects it.</summary>
// A class with setters: Dapper types a NULL column from its value, which a constructor cannot take.
internal sealed class AckRow
{
    public long Id { get; set; }

    public string? AckedBy { get; set; }
}
