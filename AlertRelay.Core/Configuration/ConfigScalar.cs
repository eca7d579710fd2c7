namespace AlertRelay.Core.Configuration;

/// <summary>A YAML scalar; <see cref="IsPlain"/> is false for quoted and block scalars, which are always strings.</summary>
internal sealed record ConfigScalar(int Line, string Value, bool IsPlain, string? Tag) : ConfigNode(Line)
{
    private const string NullTag = "tag:yaml.org,2002:null";
    private const string StringTag = "tag:yaml.org,2002:str";

    /// <summary>YAML 1.1's null: an empty plain scalar, <c>~</c> or <c>null</c> (as Go's yaml.v2 resolves them), or an explicit <c>!!null</c>.</summary>
    public bool IsNull => Tag == NullTag || (IsPlain && Tag is null && Value is "" or "~" or "null" or "Null" or "NULL");

    /// <summary>Whether the scalar may be read as a boolean or number: plain and not tagged <c>!!str</c>.</summary>
    public bool IsUntypedPlain => IsPlain && Tag != StringTag;

    public override string Describe() => IsNull ? "null" : $"\"{Value}\"";
}
