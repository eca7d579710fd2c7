namespace AlertRelay.Core.Configuration;

/// <summary>
/// A YAML mapping. <see cref="Entries"/> keeps duplicate keys (the reader reports them) and has merge keys
/// (<c>&lt;&lt;: *anchor</c>) already applied: merged entries come after the explicit ones and never repeat a key.
/// </summary>
internal sealed record ConfigMapping(int Line, IReadOnlyList<KeyValuePair<ConfigScalar, ConfigNode>> Entries) : ConfigNode(Line)
{
    public override string Describe() => "a mapping";
}
