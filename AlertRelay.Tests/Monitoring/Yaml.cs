using YamlDotNet.RepresentationModel;

namespace AlertRelay.Tests.Monitoring;

/// <summary>Reads a YAML file as a node tree and navigates it, failing the test with the file and path when a node is missing.</summary>
public static class Yaml
{
    /// <summary>The root mapping of the single document in <paramref name="path"/>.</summary>
    public static YamlMappingNode Load(string path)
    {
        Assert.True(File.Exists(path), $"{path} does not exist");
        using var reader = new StreamReader(path);
        var stream = new YamlStream();
        stream.Load(reader);
        Assert.True(stream.Documents.Count == 1, $"{path}: expected one YAML document, found {stream.Documents.Count}");
        return Assert.IsType<YamlMappingNode>(stream.Documents[0].RootNode);
    }

    /// <summary>The child <paramref name="key"/> of a mapping, or null when absent (or null in the file).</summary>
    public static YamlNode? Get(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && !IsNull(value) ? value : null;

    /// <summary>The mapping under <paramref name="key"/>, or null.</summary>
    public static YamlMappingNode? Map(this YamlMappingNode node, string key) => node.Get(key) as YamlMappingNode;

    /// <summary>The items of the sequence under <paramref name="key"/>; empty when absent.</summary>
    public static IReadOnlyList<YamlNode> Seq(this YamlMappingNode node, string key) =>
        node.Get(key) is YamlSequenceNode sequence ? sequence.Children.ToList() : [];

    /// <summary>The scalar text under <paramref name="key"/>, or null.</summary>
    public static string? Text(this YamlMappingNode node, string key) => (node.Get(key) as YamlScalarNode)?.Value;

    /// <summary>The keys of a mapping, as text.</summary>
    public static IEnumerable<string> Keys(this YamlMappingNode node) =>
        node.Children.Keys.OfType<YamlScalarNode>().Select(key => key.Value!);

    /// <summary>The scalar text of a node, or null when it is not a scalar.</summary>
    public static string? Text(this YamlNode node) => (node as YamlScalarNode)?.Value;

    /// <summary>Every key anywhere in the tree, with its path (for rejecting a key wherever it appears).</summary>
    public static IEnumerable<(string Path, string Key)> AllKeys(YamlNode node, string path = "")
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    var name = key.Text() ?? "?";
                    var childPath = path.Length == 0 ? name : $"{path}.{name}";
                    yield return (childPath, name);
                    foreach (var nested in AllKeys(value, childPath))
                    {
                        yield return nested;
                    }
                }

                break;
            case YamlSequenceNode sequence:
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    foreach (var nested in AllKeys(sequence.Children[i], $"{path}[{i}]"))
                    {
                        yield return nested;
                    }
                }

                break;
        }
    }

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: not (YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted) } scalar
        && scalar.Value is null or "" or "~" or "null";
}
