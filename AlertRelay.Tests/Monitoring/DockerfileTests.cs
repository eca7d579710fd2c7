using System.Text.RegularExpressions;
using AlertRelay.Tests.Configuration;

namespace AlertRelay.Tests.Monitoring;

/// <summary>AlertRelay.Api/Dockerfile and .dockerignore, read as text (no Docker engine here to build them).</summary>
public class DockerfileTests
{
    private static string Dockerfile => File.ReadAllText(Path.Combine(RepositoryFiles.Root, "AlertRelay.Api", "Dockerfile"));

    [Fact]
    public void Dockerfile_BuildsWithTheSdk_AndRunsOnTheAspNetRuntime()
    {
        var stages = Regex.Matches(Dockerfile, @"^FROM\s+(\S+)", RegexOptions.Multiline).Select(match => match.Groups[1].Value).ToList();

        Assert.Equal(["mcr.microsoft.com/dotnet/sdk:10.0", "mcr.microsoft.com/dotnet/aspnet:10.0"], stages);
        Assert.Matches(@"COPY --from=build ", Dockerfile);
    }

    [Fact]
    public void Dockerfile_RunsAsNonRoot_OnPort5001_WithItsDatabaseInTheDataVolume()
    {
        var runtime = Dockerfile[Dockerfile.LastIndexOf("FROM ", StringComparison.Ordinal)..];
        var user = Regex.Match(runtime, @"^USER\s+(\S+)", RegexOptions.Multiline);

        Assert.True(user.Success, "the runtime stage sets no USER: it would run as root");
        Assert.DoesNotMatch(@"^(root|0)(:.*)?$", user.Groups[1].Value);
        Assert.Contains("ASPNETCORE_URLS=http://+:5001", runtime);
        // appsettings.json's "Urls" overrides ASPNETCORE_URLS; the unprefixed variable overrides appsettings.json.
        Assert.Contains("Urls=http://+:5001", runtime);
        Assert.Contains("AlertRelay__Database__Path=/data/alertrelay.db", runtime);
        Assert.Matches(@"(?m)^VOLUME\s+(/data|\[""/data""\])\s*$", runtime);
        Assert.Matches(@"(?m)^EXPOSE\s+5001\s*$", runtime);
    }

    [Fact]
    public void DockerIgnore_KeepsSecretsBuildOutputAndDatabasesOutOfTheContext()
    {
        var ignored = File.ReadAllLines(Path.Combine(RepositoryFiles.Root, ".dockerignore")).Select(line => line.Trim()).ToHashSet();

        Assert.All(
            new[] { "secrets/", ".git/", "**/bin/", "**/obj/", "**/*.db", "**/*.db-wal", "**/*.db-shm" },
            pattern => Assert.Contains(pattern, ignored));
        // The image builds from these: ignoring them breaks the build.
        Assert.All(
            new[] { "AlertRelay.Api/", "AlertRelay.Core/", "Directory.Build.props", "Directory.Packages.props", "global.json", "samples/" },
            needed => Assert.DoesNotContain(needed, ignored));
    }
}
