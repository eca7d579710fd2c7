using AlertRelay.Tests.TestData;
using AlertRelay.Tests.Configuration;
using YamlDotNet.RepresentationModel;

namespace AlertRelay.Tests.Monitoring;

/// <summary>
/// docker-compose.yml and docker-compose.monitoring.yml: Compose 1.29 accepts them (with and without the profile ha, whose
/// wiring <see cref="ComposeHaProfileTests"/> checks), and what it does not check —
/// bind-mounted files exist, build files exist, every service has a healthcheck and a restart policy, ports stay on
/// loopback, secrets come from the ignored secrets/ directory.
/// </summary>
public class ComposeTests
{
    /// <summary>Host paths the exporters read (node-exporter: the root filesystem; cAdvisor: cgroups and Docker's state).</summary>
    private static readonly string[] HostSystemPaths = ["/", "/proc", "/sys", "/var/run", "/var/lib/docker", "/dev/disk"];

    /// <summary>The documented secret files (see docker-compose.yml): created by whoever runs the stack, never committed.</summary>
    private const string SecretsDirectory = "secrets";

    [Fact]
    public async Task Config_IsValid_ForBothFilesTogether()
    {
        var result = await DebianTool.DockerCompose.RunAsync(
            "-f", MonitoringFiles.ComposeRelative, "-f", MonitoringFiles.ComposeMonitoringRelative, "config", "-q");

        Assert.True(result.ExitCode == 0, $"docker-compose config -q failed:\n{result.Output}");
    }

    [Fact]
    public async Task Config_IsValid_ForAlertRelayAlone()
    {
        var result = await DebianTool.DockerCompose.RunAsync("-f", MonitoringFiles.ComposeRelative, "config", "-q");

        Assert.True(result.ExitCode == 0, $"docker-compose -f docker-compose.yml config -q failed:\n{result.Output}");
    }

    [Fact]
    public async Task Config_IsValid_ForBothFilesTogether_WithTheHaProfile()
    {
        var result = await DebianTool.DockerCompose.RunAsync(
            "-f", MonitoringFiles.ComposeRelative, "-f", MonitoringFiles.ComposeMonitoringRelative, "--profile", ComposeHaProfileTests.Profile, "config", "-q");

        Assert.True(result.ExitCode == 0, $"docker-compose --profile ha config -q failed:\n{result.Output}");
    }

    [Fact]
    public async Task Config_IsValid_ForAlertRelayAlone_WithTheHaProfile()
    {
        var result = await DebianTool.DockerCompose.RunAsync("-f", MonitoringFiles.ComposeRelative, "--profile", ComposeHaProfileTests.Profile, "config", "-q");

        Assert.True(result.ExitCode == 0, $"docker-compose -f docker-compose.yml --profile ha config -q failed:\n{result.Output}");
    }

    [Fact]
    public void BindMounts_OfRepositoryPaths_Exist()
    {
        var binds = ComposeProject.Load().Mounts().Where(mount => mount.Kind == ComposeMount.Bind).ToList();
        Assert.NotEmpty(binds);

        foreach (var mount in binds)
        {
            var source = mount.Source!;
            if (source.StartsWith('/'))
            {
                // Not the repository: the host's own directories, for the exporters only.
                Assert.True(
                    HostSystemPaths.Contains(source.TrimEnd('/') is "" ? "/" : source.TrimEnd('/')),
                    $"{mount}: absolute host path outside the known exporter mounts ({string.Join(", ", HostSystemPaths)})");
                continue;
            }

            Assert.False(source.StartsWith('~'), $"{mount}: a home-directory path does not exist on other machines");
            var path = MonitoringFiles.Absolute(source);
            Assert.True(File.Exists(path) || Directory.Exists(path), $"{mount}: {source} does not exist in the repository");
        }
    }

    [Fact]
    public void NamedVolumes_AreDeclared()
    {
        var compose = ComposeProject.Load();
        var declared = compose.TopLevel("volumes");

        Assert.All(
            compose.Mounts().Where(mount => mount.Kind == ComposeMount.Volume && mount.Source is not null),
            mount => Assert.True(declared.ContainsKey(mount.Source!), $"{mount}: volume {mount.Source} is not declared under volumes:"));
    }

    [Fact]
    public void Builds_UseContextsAndDockerfilesThatExist()
    {
        var builds = ComposeProject.Load().Services().Where(service => service.Service.Get("build") is not null).ToList();
        Assert.Contains(builds, build => build.Name == "alertrelay");
        Assert.Contains(builds, build => build.Name == "api");

        foreach (var (file, name, service) in builds)
        {
            var build = service.Get("build");
            var context = build is YamlMappingNode mapping ? mapping.Text("context") ?? "." : build!.Text()!;
            var dockerfile = (build as YamlMappingNode)?.Text("dockerfile") ?? "Dockerfile";
            var contextPath = MonitoringFiles.Absolute(context);

            Assert.True(Directory.Exists(contextPath), $"{file}: services.{name}.build.context {context} does not exist");
            Assert.True(
                File.Exists(Path.Combine(contextPath, dockerfile)),
                $"{file}: services.{name}.build.dockerfile {dockerfile} does not exist in {context}");
        }
    }

    [Fact]
    public void Files_UseNothingThatCompose129Rejects()
    {
        foreach (var (file, root) in ComposeProject.Load().Files)
        {
            Assert.True(root.Get("name") is null, $"{file}: top-level name: is rejected by docker-compose 1.29");
            var startInterval = Yaml.AllKeys(root).Where(key => key.Key == "start_interval").Select(key => key.Path).ToList();
            Assert.True(startInterval.Count == 0, $"{file}: healthcheck.start_interval is rejected by docker-compose 1.29: {string.Join(", ", startInterval)}");
        }
    }

    [Fact]
    public void EveryService_HasHealthcheck_AndRestartPolicy()
    {
        var compose = ComposeProject.Load();
        var expected = new[]
        {
            "alertrelay", "api", "mailcatcher", "prometheus", "alertmanager", "grafana", "node-exporter", "cadvisor", "blackbox-exporter",
            "postgres", "alertrelay-a", "alertrelay-b",
        };
        Assert.All(expected, name => Assert.Contains(name, compose.ServiceNames()));

        foreach (var name in compose.ServiceNames())
        {
            var definitions = compose.Services().Where(service => service.Name == name).Select(service => service.Service).ToList();
            var healthcheck = definitions.Select(service => service.Map("healthcheck")).LastOrDefault(check => check is not null);
            var restart = definitions.Select(service => service.Text("restart")).LastOrDefault(policy => policy is not null);

            Assert.True(healthcheck?.Seq("test").Count > 0, $"service {name}: no healthcheck test");
            Assert.True(restart is "unless-stopped" or "always" or "on-failure", $"service {name}: restart is '{restart}'");
        }
    }

    [Fact]
    public void PublishedPorts_ListenOnLoopbackOnly()
    {
        var ports = ComposeProject.Load().Services()
            .SelectMany(service => service.Service.Seq("ports").Select(port => (service.File, service.Name, Port: port.Text() ?? port.ToString())))
            .ToList();
        Assert.NotEmpty(ports);

        Assert.All(ports, port => Assert.True(
            port.Port.StartsWith("127.0.0.1:", StringComparison.Ordinal),
            $"{port.File}: services.{port.Name}.ports: {port.Port} is published on every interface; use 127.0.0.1:HOST:CONTAINER"));
    }

    [Fact]
    public void Secrets_AreFilesInTheIgnoredSecretsDirectory()
    {
        var secrets = ComposeProject.Load().TopLevel("secrets");
        Assert.NotEmpty(secrets);

        foreach (var (name, definition) in secrets)
        {
            var file = definition?.Text("file");
            Assert.True(
                file is not null && file.StartsWith($"./{SecretsDirectory}/", StringComparison.Ordinal) && file.EndsWith(".txt", StringComparison.Ordinal),
                $"secret {name}: file must be ./{SecretsDirectory}/<name>.txt (documented in docker-compose.yml), was '{file}'");
        }

        // The secret files must never be committed.
        var gitignore = File.ReadAllLines(Path.Combine(RepositoryFiles.Root, ".gitignore")).Select(line => line.Trim());
        Assert.True(
            gitignore.Any(line => line is "secrets/" or "/secrets/" or "secrets" or "/secrets"),
            ".gitignore must ignore the secrets/ directory that the compose secrets are read from");
    }

    [Fact]
    public void Grafana_MountsAlertRelayDataVolume_AsADirectory_ReadOnly()
    {
        var compose = ComposeProject.Load();
        var relayData = compose.Mounts().Single(mount => mount.Service == "alertrelay" && mount.Kind == ComposeMount.Volume);
        Assert.Equal("/data", relayData.Target);

        // The whole volume (a WAL database needs its -wal and -shm files beside it), never the .db file alone.
        var grafanaData = compose.Mounts().SingleOrDefault(mount => mount.Service == "grafana" && mount.Source == relayData.Source);
        Assert.True(grafanaData is not null, $"grafana does not mount AlertRelay's volume {relayData.Source}");
        Assert.True(grafanaData.ReadOnly, $"{grafanaData}: must be read-only");
        Assert.False(grafanaData.Target.EndsWith(".db", StringComparison.Ordinal), $"{grafanaData}: mount the directory, not the database file");

        var grafana = compose.Services().Single(service => service.Name == "grafana").Service;
        Assert.Contains("frser-sqlite-datasource", grafana.Map("environment")?.Text("GF_INSTALL_PLUGINS") ?? "");
        var mounts = compose.Mounts().Where(mount => mount.Service == "grafana").ToDictionary(mount => mount.Target, mount => mount.Source);
        Assert.Equal("./monitoring/grafana/provisioning", mounts.GetValueOrDefault("/etc/grafana/provisioning"));
        Assert.Equal("./monitoring/grafana/dashboards", mounts.GetValueOrDefault("/var/lib/grafana/dashboards"));

        // The SQLite datasource (monitoring/grafana, provisioned by its own owner) must point into that mount.
        var datasources = MonitoringFiles.Absolute("monitoring/grafana/provisioning/datasources/datasources.yml");
        if (File.Exists(datasources))
        {
            var sqlitePaths = Yaml.Load(datasources).Seq("datasources").OfType<YamlMappingNode>()
                .Where(source => source.Text("type") == "frser-sqlite-datasource")
                .Select(source => source.Map("jsonData")?.Text("path"))
                .ToList();
            Assert.All(sqlitePaths, path => Assert.Equal($"{grafanaData.Target}/alertrelay.db", path));
        }
    }

    [Fact]
    public void BaseFile_HoldsTheShop_AlertRelay_AndTheMailCatcher()
    {
        var compose = ComposeProject.Load();
        var byFile = compose.Services().ToLookup(service => service.File, service => service.Name);

        Assert.Equal(
            ["alertrelay", "alertrelay-a", "alertrelay-b", "api", "mailcatcher", "postgres"],
            byFile[MonitoringFiles.ComposeRelative].Order(StringComparer.Ordinal));
        Assert.DoesNotContain("api", byFile[MonitoringFiles.ComposeMonitoringRelative]);

        // The shop listens on every interface of its container (appsettings.json says localhost) and gets an admin token
        // from a secret, so that /admin/faults answers requests from outside the container.
        var api = compose.Services().Single(service => service.Name == "api").Service;
        Assert.Equal("http://+:3000", api.Map("environment")?.Text("Urls"));
        Assert.Contains("ecommerce-admin-token", api.Seq("secrets").Select(node => node.Text()));
        var entrypoint = string.Join(" ", api.Seq("entrypoint").Select(node => node.Text()));
        Assert.Contains("ECommerce__AdminToken=", entrypoint);
        Assert.Contains("/run/secrets/ecommerce-admin-token", entrypoint);
    }

    [Fact]
    public void Images_ArePinned()
    {
        var images = ComposeProject.Load().Services()
            .Where(service => service.Service.Get("build") is null)
            .Select(service => (service.File, service.Name, Image: service.Service.Text("image") ?? ""))
            .ToList();
        Assert.NotEmpty(images);

        Assert.All(images, image =>
        {
            var tag = image.Image.Contains('@') ? "digest" : image.Image[(image.Image.LastIndexOf('/') + 1)..].Split(':').ElementAtOrDefault(1);
            Assert.True(
                tag is not null && tag != "latest" && tag.Any(char.IsDigit),
                $"{image.File}: services.{image.Name}.image {image.Image} is not pinned to a version");
        });
    }
}
