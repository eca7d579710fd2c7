namespace AlertRelay.Core.Oncall;

/// <summary>
/// The on-call state of an occurrence the alert page shows beside the query side's record: where its acknowledgement came from
/// (api, slack, link). The silence is the record's own (<see cref="History.OccurrenceRecord.Silence"/>).
/// </summary>
public sealed record LinkPageState(string? AckedVia);
