namespace AlertRelay.Core.Configuration;

/// <summary>A YAML sequence (a list).</summary>
internal sealed record ConfigSequence(int Line, IReadOnlyList<ConfigNode> Items) : ConfigNode(Line)
{
    public override string Describe() => "a list";
}
