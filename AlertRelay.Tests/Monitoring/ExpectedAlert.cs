namespace AlertRelay.Tests.Monitoring;

/// <summary>One entry of a promtool <c>exp_alerts</c> list: the labels and annotations the firing alert must have.</summary>
public sealed record ExpectedAlert(IReadOnlyDictionary<string, string> Labels, IReadOnlyDictionary<string, string> Annotations);
