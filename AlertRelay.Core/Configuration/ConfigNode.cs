namespace AlertRelay.Core.Configuration;

/// <summary>A YAML node with the 1-based line it starts on: the loader's own small tree, so that every error can name its line.</summary>
internal abstract record ConfigNode(int Line)
{
    /// <summary>How the node is named in "expected X, got Y" messages.</summary>
    public abstract string Describe();
}
