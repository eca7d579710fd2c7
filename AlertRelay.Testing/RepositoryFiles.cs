namespace AlertRelay.Testing;

/// <summary>Paths of files the configuration tests read: the test data copied next to the tests, and files at the repository root.</summary>
public static class RepositoryFiles
{
    /// <summary>TestData/config/invalid: one bad configuration per file, as Alertmanager's config/testdata.</summary>
    public static string InvalidConfigDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "TestData", "config", "invalid");

    /// <summary>alertrelay.example.yml at the repository root.</summary>
    public static string ExampleConfig => Path.Combine(Root, "alertrelay.example.yml");

    /// <summary>The directory holding AlertRelay.sln, found by walking up from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>A fresh temporary file holding <paramref name="content"/>; the caller deletes it.</summary>
    public static string WriteTemp(string content, string name = "alertrelay.yml")
    {
        var directory = Path.Combine(Path.GetTempPath(), "alertrelay-tests", "config-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "AlertRelay.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"AlertRelay.sln not found above {AppContext.BaseDirectory}");
    }
}
