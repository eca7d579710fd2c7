using YamlDotNet.RepresentationModel;

namespace AlertRelay.IntegrationTests.Configuration;

/// <summary>The documented example, alertrelay.example.yml, stays Alertmanager-compatible: amtool accepts it without AlertRelay's own keys.</summary>
public sealed class ExampleConfigAmtoolTests
{
    /// <summary>AlertRelay's own top-level keys, which Alertmanager rejects.</summary>
    private static readonly string[] AlertRelayOnlyKeys = ["escalations", "participants", "oncall_schedules", "heartbeats"];

    [Fact]
    public async Task AmtoolCheckConfig_Accepts_TheExampleWithoutAlertRelayOnlyKeys()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(RepositoryFiles.ExampleConfig)));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        foreach (var key in AlertRelayOnlyKeys)
        {
            Assert.True(root.Children.Remove(new YamlScalarNode(key)), $"the example should show {key}:");
        }

        var path = RepositoryFiles.WriteTemp("", "alertmanager.yml");
        try
        {
            await using (var writer = File.CreateText(path))
            {
                stream.Save(writer, assignAnchors: false);
            }

            var result = await DebianTool.Amtool.RunAsync("check-config", path);

            Assert.True(result.ExitCode == 0, $"amtool check-config rejected the example:\n{result.StandardOutput}\n{result.StandardError}");
            Assert.Contains("SUCCESS", result.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
