namespace AlertRelay.Core.Oncall;

/// <summary>The on-call state of an occurrence the alert page shows: where its acknowledgement came from (api, slack, link) and its silence.</summary>
public sealed record LinkPageState(string? AckedVia, ActiveSilence? Silence);
