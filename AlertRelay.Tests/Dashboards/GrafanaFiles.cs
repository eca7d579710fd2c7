using System.Text.Json.Nodes;
using AlertRelay.Tests.Configuration;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace AlertRelay.Tests.Dashboards;

/// <summary>The Grafana provisioning files and dashboards under monitoring/grafana, read from the repository.</summary>
public static class GrafanaFiles
{
    public static string GrafanaDirectory => Path.Combine(RepositoryFiles.Root, "monitoring", "grafana");

    public static string DashboardsDirectory => Path.Combine(GrafanaDirectory, "dashboards");

    public static string DatasourcesDirectory => Path.Combine(GrafanaDirectory, "provisioning", "datasources");

    /// <summary>Prometheus and the SQLite history.</summary>
    public static string DatasourcesFile => Path.Combine(DatasourcesDirectory, "datasources.yml");

    /// <summary>The PostgreSQL history (compose profile ha).</summary>
    public static string PostgresDatasourceFile => Path.Combine(DatasourcesDirectory, "postgres.yml");

    public static string DashboardProvidersFile => Path.Combine(GrafanaDirectory, "provisioning", "dashboards", "dashboards.yml");

    public const string ApiPerformance = "api-performance.json";

    public const string AlertHistory = "alert-history.json";

    public const string AlertHistoryPostgres = "alert-history-postgres.json";

    /// <summary>Every dashboard file the file provider would load.</summary>
    public static IReadOnlyList<string> DashboardFileNames() =>
        Directory.GetFiles(DashboardsDirectory, "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList()!;

    public static JsonObject LoadDashboard(string fileName) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(DashboardsDirectory, fileName)))?.AsObject()
        ?? throw new InvalidOperationException($"{fileName} is not a JSON object");

    /// <summary>All panels, including those nested in collapsed rows.</summary>
    public static IEnumerable<JsonObject> Panels(JsonObject dashboard)
    {
        foreach (var panel in dashboard["panels"]?.AsArray() ?? [])
        {
            var obj = panel!.AsObject();
            yield return obj;
            foreach (var nested in obj["panels"]?.AsArray() ?? [])
            {
                yield return nested!.AsObject();
            }
        }
    }

    /// <summary>Panels that query a datasource (rows only group).</summary>
    public static IEnumerable<JsonObject> QueryPanels(JsonObject dashboard) =>
        Panels(dashboard).Where(p => (string?)p["type"] != "row");

    public static JsonObject Panel(JsonObject dashboard, int id) =>
        Panels(dashboard).Single(p => (int?)p["id"] == id);

    /// <summary>Every target of every panel of <paramref name="fileName"/>.</summary>
    public static IEnumerable<DashboardTarget> Targets(string fileName)
    {
        var dashboard = LoadDashboard(fileName);
        foreach (var panel in QueryPanels(dashboard))
        {
            var panelUid = (string?)panel["datasource"]?["uid"];
            foreach (var target in panel["targets"]?.AsArray() ?? [])
            {
                var t = target!.AsObject();
                yield return new DashboardTarget(
                    fileName, (int)panel["id"]!, (string)panel["title"]!, (string)panel["type"]!,
                    (string?)t["datasource"]?["uid"] ?? panelUid ?? "", t);
            }
        }
    }

    /// <summary>Every file Grafana provisions datasources from (all YAML files of the mounted directory).</summary>
    public static IReadOnlyList<string> DatasourceFileNames() =>
        Directory.GetFiles(DatasourcesDirectory).Where(f => f.EndsWith(".yml", StringComparison.Ordinal) || f.EndsWith(".yaml", StringComparison.Ordinal))
            .Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList()!;

    public static ProvisionedDatasources LoadDatasources(string path) =>
        new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build()
            .Deserialize<ProvisionedDatasources>(File.ReadAllText(path));

    /// <summary>The datasources of every provisioning file, as Grafana loads them all.</summary>
    public static ProvisionedDatasources LoadDatasources()
    {
        var all = new ProvisionedDatasources { ApiVersion = 1 };
        foreach (var file in DatasourceFileNames())
        {
            var loaded = LoadDatasources(Path.Combine(DatasourcesDirectory, file));
            Assert.Equal(1, loaded.ApiVersion);
            all.Datasources.AddRange(loaded.Datasources);
        }

        return all;
    }

    public static DashboardProviders LoadDashboardProviders() =>
        new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build()
            .Deserialize<DashboardProviders>(File.ReadAllText(DashboardProvidersFile));
}

/// <summary>One query of one panel.</summary>
public sealed record DashboardTarget(string Dashboard, int PanelId, string PanelTitle, string PanelType, string DatasourceUid, JsonObject Target)
{
    public string RefId => (string?)Target["refId"] ?? "";

    public override string ToString() => $"{Dashboard} panel {PanelId} \"{PanelTitle}\" {RefId}";
}

/// <summary>A file of provisioning/datasources/ (unknown keys fail the deserialisation).</summary>
public sealed class ProvisionedDatasources
{
    public int ApiVersion { get; set; }

    public List<ProvisionedDatasource> Datasources { get; set; } = [];
}

public sealed class ProvisionedDatasource
{
    public string Name { get; set; } = "";

    public string Uid { get; set; } = "";

    public string Type { get; set; } = "";

    public string Access { get; set; } = "";

    public string? Url { get; set; }

    public string? User { get; set; }

    public bool IsDefault { get; set; }

    public bool Editable { get; set; }

    public Dictionary<string, string> JsonData { get; set; } = [];

    public Dictionary<string, string> SecureJsonData { get; set; } = [];
}

/// <summary>provisioning/dashboards/dashboards.yml.</summary>
public sealed class DashboardProviders
{
    public int ApiVersion { get; set; }

    public List<DashboardProvider> Providers { get; set; } = [];
}

public sealed class DashboardProvider
{
    public string Name { get; set; } = "";

    public int OrgId { get; set; }

    public string Folder { get; set; } = "";

    public string Type { get; set; } = "";

    public bool DisableDeletion { get; set; }

    public bool AllowUiUpdates { get; set; }

    public int UpdateIntervalSeconds { get; set; }

    public Dictionary<string, string> Options { get; set; } = [];
}
