using System.Text.Json;

namespace AlertRelay.Tests.TestData;

/// <summary>The hostile webhook bodies in TestData/hostile/, one file per case, and their manifest cases.json.</summary>
public static class HostileCorpus
{
    public const string ManifestFile = "cases.json";

    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "TestData", "hostile");

    private static readonly Lazy<IReadOnlyDictionary<string, HostileCase>> Manifest = new(Load);

    public static IReadOnlyCollection<HostileCase> Cases => Manifest.Value.Values.ToList();

    /// <summary>The file names the manifest lists, in ordinal order.</summary>
    public static IEnumerable<string> ListedFiles => Manifest.Value.Keys.Order(StringComparer.Ordinal);

    /// <summary>Every case's file name, for [MemberData].</summary>
    public static TheoryData<string> Files => new(ListedFiles);

    public static HostileCase Case(string file) => Manifest.Value[file];

    public static byte[] Bytes(string file) => File.ReadAllBytes(Path.Combine(Directory, file));

    /// <summary>The files in the directory besides the manifest (and git's attributes file).</summary>
    public static IEnumerable<string> BodyFiles =>
        System.IO.Directory.EnumerateFiles(Directory).Select(Path.GetFileName)
            .Where(name => name is not ManifestFile and not ".gitattributes").Order(StringComparer.Ordinal)!;

    private static IReadOnlyDictionary<string, HostileCase> Load()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Directory, ManifestFile)));
        var cases = new Dictionary<string, HostileCase>(StringComparer.Ordinal);
        foreach (var entry in document.RootElement.GetProperty("cases").EnumerateArray())
        {
            var file = entry.GetProperty("file").GetString()!;
            var stored = entry.TryGetProperty("stored", out var list) ? list.EnumerateArray().Select(e => e.Clone()).ToList() : [];
            var @case = new HostileCase(
                file,
                entry.GetProperty("why").GetString()!,
                entry.GetProperty("status").GetInt32(),
                entry.TryGetProperty("field", out var field) ? field.GetString() : null,
                entry.TryGetProperty("messageContains", out var contains) ? contains.GetString() : null,
                stored);
            if (!cases.TryAdd(file, @case))
            {
                throw new InvalidDataException($"{ManifestFile}: {file} is listed twice");
            }
        }

        return cases;
    }
}
