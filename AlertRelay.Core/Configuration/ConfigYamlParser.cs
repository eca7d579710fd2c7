using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace AlertRelay.Core.Configuration;

/// <summary>Turns YAML text into a <see cref="ConfigNode"/> tree with line numbers (YamlDotNet's event parser), resolving anchors, aliases and merge keys.</summary>
internal static partial class ConfigYamlParser
{
    private const string MergeKey = "<<";

    /// <summary>The single document's root, or <see langword="null"/> for an empty file; syntax problems go to <paramref name="error"/> (line, message).</summary>
    public static ConfigNode? Parse(string yaml, Action<int, string> error)
    {
        var scanner = new Scanner(new StringReader(yaml), skipComments: true);
        var parser = new Parser(scanner);
        var anchors = new Dictionary<string, ConfigNode>(StringComparer.Ordinal);
        try
        {
            parser.Consume<StreamStart>();
            if (parser.TryConsume<StreamEnd>(out _))
            {
                return null;
            }

            parser.Consume<DocumentStart>();
            var root = ReadNode(parser, anchors, error);
            parser.Consume<DocumentEnd>();
            if (parser.Accept<DocumentStart>(out var next))
            {
                error(LineOf(next.Start), "the file holds more than one YAML document; put the whole configuration in one");
            }

            return root;
        }
        catch (YamlException ex)
        {
            error(LineOf(ex.Start), PositionPrefix().Replace(ex.Message, ""));
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this (instead of a YamlException) on some unterminated flow collections.
            error(LineOf(scanner.CurrentPosition), "invalid YAML: unexpected end of a flow collection (an unclosed '[' or '{'?)");
            return null;
        }
    }

    private static ConfigNode ReadNode(IParser parser, Dictionary<string, ConfigNode> anchors, Action<int, string> error)
    {
        var current = parser.Current ?? throw new YamlException("Unexpected end of the YAML stream.");
        var line = LineOf(current.Start);
        switch (current)
        {
            case AnchorAlias alias:
                parser.MoveNext();
                if (anchors.TryGetValue(alias.Value.Value, out var target))
                {
                    return target;
                }

                error(line, $"unknown anchor \"{alias.Value.Value}\" referenced");
                return new ConfigScalar(line, "", IsPlain: true, Tag: null);

            case Scalar scalar:
            {
                parser.MoveNext();
                var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
                var node = new ConfigScalar(line, scalar.Value, scalar.Style == ScalarStyle.Plain, tag);
                Remember(scalar, node, anchors);
                return node;
            }

            case SequenceStart start:
            {
                parser.MoveNext();
                var items = new List<ConfigNode>();
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    items.Add(ReadNode(parser, anchors, error));
                }

                var node = new ConfigSequence(line, items);
                Remember(start, node, anchors);
                return node;
            }

            case MappingStart start:
            {
                parser.MoveNext();
                var explicitEntries = new List<KeyValuePair<ConfigScalar, ConfigNode>>();
                var merged = new List<ConfigMapping>();
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var key = ReadNode(parser, anchors, error);
                    var value = ReadNode(parser, anchors, error);
                    if (key is not ConfigScalar scalarKey)
                    {
                        error(key.Line, $"a mapping key must be a plain value, not {key.Describe()}");
                        continue;
                    }

                    if (scalarKey.IsPlain && scalarKey.Value == MergeKey)
                    {
                        CollectMergeSources(value, merged, error);
                        continue;
                    }

                    explicitEntries.Add(KeyValuePair.Create(scalarKey, value));
                }

                var node = new ConfigMapping(line, Merge(explicitEntries, merged));
                Remember(start, node, anchors);
                return node;
            }

            default:
                throw new YamlException(current.Start, current.End, $"Unexpected YAML event {current.GetType().Name}.");
        }
    }

    // Go's yaml.v2: "<<" takes a mapping or a list of mappings; explicit keys win, then earlier sources win.
    private static void CollectMergeSources(ConfigNode value, List<ConfigMapping> merged, Action<int, string> error)
    {
        switch (value)
        {
            case ConfigMapping mapping:
                merged.Add(mapping);
                break;
            case ConfigSequence sequence when sequence.Items.All(i => i is ConfigMapping):
                merged.AddRange(sequence.Items.Cast<ConfigMapping>());
                break;
            default:
                error(value.Line, "a merge key (<<) needs a mapping or a list of mappings");
                break;
        }
    }

    private static IReadOnlyList<KeyValuePair<ConfigScalar, ConfigNode>> Merge(
        List<KeyValuePair<ConfigScalar, ConfigNode>> explicitEntries, List<ConfigMapping> merged)
    {
        if (merged.Count == 0)
        {
            return explicitEntries;
        }

        var seen = new HashSet<string>(explicitEntries.Select(e => e.Key.Value), StringComparer.Ordinal);
        var result = new List<KeyValuePair<ConfigScalar, ConfigNode>>(explicitEntries);
        foreach (var source in merged)
        {
            foreach (var entry in source.Entries)
            {
                if (seen.Add(entry.Key.Value))
                {
                    result.Add(entry);
                }
            }
        }

        return result;
    }

    private static void Remember(NodeEvent nodeEvent, ConfigNode node, Dictionary<string, ConfigNode> anchors)
    {
        if (!nodeEvent.Anchor.IsEmpty)
        {
            anchors[nodeEvent.Anchor.Value] = node;
        }
    }

    private static int LineOf(Mark mark) => (int)Math.Max(1, mark.Line);

    // YamlDotNet prefixes its messages with "(Line: 3, Col: 5, Idx: 20) - (Line: 3, Col: 6, Idx: 21): "; the error has its own line.
    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex PositionPrefix();
}
