namespace AlertRelay.Core.Oncall;

/// <summary>An occurrence with a recorded Alertmanager silence, as the watcher lists them.</summary>
public sealed record SilencedOccurrence(long OccurrenceId, ActiveSilence Silence);
