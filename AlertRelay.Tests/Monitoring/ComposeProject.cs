using YamlDotNet.RepresentationModel;

namespace AlertRelay.Tests.Monitoring;

/// <summary>
/// The compose files as written (not as merged by compose): each file's root, and every service with the file defining it.
/// Paths in the files are relative to the project directory, the repository root.
/// </summary>
public sealed class ComposeProject
{
    private ComposeProject(IReadOnlyList<(string File, YamlMappingNode Root)> files) => Files = files;

    /// <summary>Each compose file (relative path) with its parsed root.</summary>
    public IReadOnlyList<(string File, YamlMappingNode Root)> Files { get; }

    /// <summary>docker-compose.yml and docker-compose.monitoring.yml.</summary>
    public static ComposeProject Load() =>
        new(MonitoringFiles.ComposeFilesRelative.Select(file => (file, Yaml.Load(MonitoringFiles.Absolute(file)))).ToList());

    /// <summary>Every service definition, with the file it is in (a service extended by a later file appears once per file).</summary>
    public IEnumerable<(string File, string Name, YamlMappingNode Service)> Services() =>
        from file in Files
        let services = file.Root.Map("services")
        where services is not null
        from pair in services.Children
        select (file.File, pair.Key.Text()!, (YamlMappingNode)pair.Value);

    /// <summary>The names of all services across the files.</summary>
    public IReadOnlySet<string> ServiceNames() => Services().Select(service => service.Name).ToHashSet(StringComparer.Ordinal);

    /// <summary>A top-level section (volumes, secrets, configs) merged across the files: name -> definition (null for `name:` alone).</summary>
    public IReadOnlyDictionary<string, YamlMappingNode?> TopLevel(string section)
    {
        var merged = new Dictionary<string, YamlMappingNode?>(StringComparer.Ordinal);
        foreach (var (_, root) in Files)
        {
            if (root.Map(section) is { } mapping)
            {
                foreach (var (key, value) in mapping.Children)
                {
                    merged[key.Text()!] = value as YamlMappingNode;
                }
            }
        }

        return merged;
    }

    /// <summary>Every volume entry of every service, in short (<c>src:dst:ro</c>) or long (<c>type: bind</c>) syntax.</summary>
    public IEnumerable<ComposeMount> Mounts()
    {
        foreach (var (file, name, service) in Services())
        {
            foreach (var entry in service.Seq("volumes"))
            {
                yield return entry switch
                {
                    YamlScalarNode scalar => ParseShort(file, name, scalar.Value ?? ""),
                    YamlMappingNode mapping => ParseLong(file, name, mapping),
                    _ => throw new InvalidOperationException($"{file}: services.{name}.volumes: unexpected entry {entry}"),
                };
            }
        }
    }

    private static ComposeMount ParseShort(string file, string service, string text)
    {
        var parts = text.Split(':');
        if (parts.Length == 1)
        {
            return new ComposeMount(file, service, ComposeMount.Volume, null, parts[0], false);
        }

        var source = parts[0];
        var readOnly = parts.Length > 2 && parts[2].Split(',').Contains("ro");
        var kind = source.StartsWith('.') || source.StartsWith('/') || source.StartsWith('~') ? ComposeMount.Bind : ComposeMount.Volume;
        return new ComposeMount(file, service, kind, source, parts[1], readOnly);
    }

    private static ComposeMount ParseLong(string file, string service, YamlMappingNode mapping) =>
        new(
            file,
            service,
            mapping.Text("type") ?? ComposeMount.Volume,
            mapping.Text("source"),
            mapping.Text("target") ?? "",
            string.Equals(mapping.Text("read_only"), "true", StringComparison.OrdinalIgnoreCase));
}
