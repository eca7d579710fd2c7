namespace AlertRelay.Core.Oncall;

/// <summary>One equality matcher of an Alertmanager silence (<c>{"name", "value", "isRegex": false, "isEqual": true}</c>).</summary>
public sealed record SilenceMatcher(string Name, string Value);
