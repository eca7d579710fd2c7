using System.Xml.Linq;
using AlertRelay.Tests.Configuration;

namespace AlertRelay.Tests.Repository;

/// <summary>
/// Directory.Packages.props names one version per release family — the .NET runtime and ASP.NET Core packages ship
/// together as 10.0.x, dotnet/extensions' as 10.y.0 — and no project, samples/ and bench/ included, picks its own.
/// </summary>
public class PackageVersionTests
{
    /// <summary>Microsoft.Extensions.* packages built in dotnet/extensions, whose versions are not the runtime's.</summary>
    private static readonly string[] DotnetExtensionsPrefixes =
    [
        "Microsoft.Extensions.AI", "Microsoft.Extensions.AmbientMetadata.", "Microsoft.Extensions.Compliance.",
        "Microsoft.Extensions.Diagnostics.ExceptionSummarization", "Microsoft.Extensions.Diagnostics.Latency",
        "Microsoft.Extensions.Diagnostics.Probes", "Microsoft.Extensions.Diagnostics.ResourceMonitoring",
        "Microsoft.Extensions.Diagnostics.Testing", "Microsoft.Extensions.Http.Diagnostics", "Microsoft.Extensions.Http.Resilience",
        "Microsoft.Extensions.Options.Contextual", "Microsoft.Extensions.Resilience", "Microsoft.Extensions.Telemetry",
        "Microsoft.Extensions.TimeProvider.Testing",
    ];

    [Fact]
    public void CentralVersions_AreOnePerFamily()
    {
        var families = CentralVersions()
            .Select(package => (Family: Family(package.Name), package.Name, package.Version))
            .Where(package => package.Family is not null)
            .GroupBy(package => package.Family!);

        var mixed = families
            .Where(family => family.Select(package => package.Version).Distinct().Count() > 1)
            .Select(family => $"{family.Key}: {string.Join(", ", family.Select(package => $"{package.Name} {package.Version}"))}")
            .ToList();

        Assert.True(mixed.Count == 0, $"Directory.Packages.props mixes versions within a family:\n{string.Join("\n", mixed)}");
    }

    [Fact]
    public void Projects_TakeEveryVersionFromDirectoryPackagesProps()
    {
        var projects = Directory.EnumerateFiles(RepositoryFiles.Root, "*.csproj", SearchOption.AllDirectories)
            .Where(path => !path.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "node_modules"))
            .ToList();
        Assert.Contains(projects, path => path.Contains($"{Path.DirectorySeparatorChar}samples{Path.DirectorySeparatorChar}"));
        Assert.Contains(projects, path => path.Contains($"{Path.DirectorySeparatorChar}bench{Path.DirectorySeparatorChar}"));

        var own = projects
            .SelectMany(path => XDocument.Load(path).Descendants("PackageReference")
                .Where(reference => reference.Attribute("Version") is not null || reference.Attribute("VersionOverride") is not null)
                .Select(reference => $"{Path.GetRelativePath(RepositoryFiles.Root, path)}: {reference.Attribute("Include")?.Value}"))
            .ToList();

        Assert.True(own.Count == 0, $"package versions outside Directory.Packages.props:\n{string.Join("\n", own)}");
    }

    /// <summary>"runtime" (.NET runtime and ASP.NET Core, versioned together), "dotnet/extensions", or null for any other package.</summary>
    private static string? Family(string package)
    {
        if (DotnetExtensionsPrefixes.Any(prefix => package.StartsWith(prefix, StringComparison.Ordinal)))
        {
            return "dotnet/extensions";
        }

        string[] runtime = ["Microsoft.Extensions.", "Microsoft.AspNetCore.", "Microsoft.Data.Sqlite", "Microsoft.EntityFrameworkCore"];
        return runtime.Any(prefix => package.StartsWith(prefix, StringComparison.Ordinal)) ? "runtime" : null;
    }

    private static IReadOnlyList<(string Name, string Version)> CentralVersions() =>
        XDocument.Load(Path.Combine(RepositoryFiles.Root, "Directory.Packages.props"))
            .Descendants("PackageVersion")
            .Select(version => (version.Attribute("Include")!.Value, version.Attribute("Version")!.Value))
            .ToList();
}
