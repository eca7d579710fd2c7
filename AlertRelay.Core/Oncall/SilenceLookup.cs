namespace AlertRelay.Core.Oncall;

/// <summary>Whether an occurrence exists and the silence recorded for it, if any (ended or not).</summary>
public sealed record SilenceLookup(bool Found, ActiveSilence? Silence);
