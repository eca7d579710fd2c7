using System.Text.Json.Nodes;

namespace AlertRelay.Tests.Dashboards;

/// <summary>The provisioning files and the shape of every dashboard: what Grafana needs to load them as provisioned files.</summary>
public sealed class DashboardStructureTests
{
    public static TheoryData<string> Dashboards()
    {
        var data = new TheoryData<string>();
        foreach (var file in GrafanaFiles.DashboardFileNames())
        {
            data.Add(file);
        }

        return data;
    }

    [Fact]
    public void TheDashboardsDirectory_HoldsTheDashboards() =>
        Assert.Equal([GrafanaFiles.AlertHistoryPostgres, GrafanaFiles.AlertHistory, GrafanaFiles.ApiPerformance], GrafanaFiles.DashboardFileNames().Order(StringComparer.Ordinal));

    [Fact]
    public void TheDatasourcesDirectory_HoldsTheDatasourceFiles() =>
        Assert.Equal(["datasources.yml", "postgres.yml"], GrafanaFiles.DatasourceFileNames());

    [Fact]
    public void Datasources_PrometheusIsTheDefault_AndTheHistoryIsTheSqliteFileOnTheAlertRelayVolume()
    {
        var file = GrafanaFiles.LoadDatasources(GrafanaFiles.DatasourcesFile);

        Assert.Equal(1, file.ApiVersion);
        Assert.Equal(["alertrelay-history", "prometheus"], file.Datasources.Select(d => d.Uid).Order());
        Assert.Equal("prometheus", Assert.Single(file.Datasources, d => d.IsDefault).Uid);

        var prometheus = file.Datasources.Single(d => d.Uid == "prometheus");
        Assert.Equal("prometheus", prometheus.Type);
        Assert.Equal("proxy", prometheus.Access);
        Assert.Equal("http://prometheus:9090", prometheus.Url);

        var history = file.Datasources.Single(d => d.Uid == "alertrelay-history");
        Assert.Equal("frser-sqlite-datasource", history.Type);
        Assert.Equal("/var/lib/alertrelay/alertrelay.db", history.JsonData["path"]);
        // The plugin builds its connection string as pathPrefix + path + "?" + pathOptions: read-only SQLite URI.
        Assert.Equal("file:", history.JsonData["pathPrefix"]);
        Assert.Equal("mode=ro", history.JsonData["pathOptions"]);
    }

    [Fact]
    public void Datasources_UidsAreUnique_AcrossTheFiles_AndPrometheusIsTheOnlyDefault()
    {
        var all = GrafanaFiles.LoadDatasources().Datasources;

        Assert.Equal(["alertrelay-history", "alertrelay-history-postgres", "prometheus"], all.Select(d => d.Uid).Order(StringComparer.Ordinal));
        Assert.Equal("prometheus", Assert.Single(all, d => d.IsDefault).Uid);
    }

    [Fact]
    public void PostgresDatasource_IsTheBuiltInPlugin_OnTheComposePostgres_WithCredentialsFromTheEnvironment()
    {
        var file = GrafanaFiles.LoadDatasources(GrafanaFiles.PostgresDatasourceFile);

        Assert.Equal(1, file.ApiVersion);
        var postgres = Assert.Single(file.Datasources);
        Assert.Equal(AlertHistoryPostgresDashboardTests.DatasourceUid, postgres.Uid);
        // The plugin id of Grafana's built-in PostgreSQL datasource since 10.2.3 (`postgres` is an alias of it).
        Assert.Equal(AlertHistoryPostgresDashboardTests.DatasourceType, postgres.Type);
        Assert.Equal("proxy", postgres.Access);
        Assert.False(postgres.IsDefault);
        Assert.False(postgres.Editable);
        Assert.Equal("postgres:5432", postgres.Url);
        Assert.Equal("alertrelay", postgres.JsonData["database"]);
        // GrafanaPostgresMacros expands $__timeGroup without TimescaleDB's time_bucket.
        Assert.Equal("false", postgres.JsonData["timescaledb"]);
        Assert.Equal("1500", postgres.JsonData["postgresVersion"]);

        // Never a literal credential: Grafana expands $NAME from its environment (set in docker-compose.monitoring.yml).
        Assert.Equal("$" + PostgresGrafanaUserVariable, postgres.User);
        Assert.Equal(["password"], postgres.SecureJsonData.Keys);
        Assert.Equal("$" + PostgresGrafanaPasswordVariable, postgres.SecureJsonData["password"]);
        Assert.DoesNotContain("password", string.Join(",", postgres.JsonData.Keys), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The environment variables the PostgreSQL datasource takes its role from.</summary>
    public const string PostgresGrafanaUserVariable = "ALERTRELAY_PG_GRAFANA_USER";

    public const string PostgresGrafanaPasswordVariable = "ALERTRELAY_PG_GRAFANA_PASSWORD";

    [Fact]
    public void DashboardProvider_LoadsTheMountedDirectoryIntoTheAlertRelayFolder()
    {
        var file = GrafanaFiles.LoadDashboardProviders();

        Assert.Equal(1, file.ApiVersion);
        var provider = Assert.Single(file.Providers);
        Assert.Equal("file", provider.Type);
        Assert.Equal("AlertRelay", provider.Folder);
        Assert.Equal("/var/lib/grafana/dashboards", provider.Options["path"]);
    }

    [Fact]
    public void DashboardUids_AreUnique() =>
        Assert.Equal(
            GrafanaFiles.DashboardFileNames().Count,
            GrafanaFiles.DashboardFileNames().Select(f => (string?)GrafanaFiles.LoadDashboard(f)["uid"]).Distinct().Count());

    [Theory]
    [MemberData(nameof(Dashboards))]
    public void Dashboard_IsInFileProvisioningFormat(string file)
    {
        var dashboard = GrafanaFiles.LoadDashboard(file);

        Assert.False(dashboard.ContainsKey("__inputs"), "__inputs is for UI import; provisioned files reference datasources by uid");
        Assert.False(dashboard.ContainsKey("__requires"));
        Assert.Null(dashboard["id"]);
        Assert.Matches("^[a-z0-9-]{1,40}$", (string?)dashboard["uid"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)dashboard["title"]));
        Assert.True((int)dashboard["schemaVersion"]! >= 36);
        Assert.NotNull(dashboard["time"]?["from"]);
        Assert.DoesNotContain("${DS_", dashboard.ToJsonString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public void PanelIds_AreUniqueAndPositive(string file)
    {
        var ids = GrafanaFiles.Panels(GrafanaFiles.LoadDashboard(file)).Select(p => (int?)p["id"]).ToList();

        Assert.All(ids, id => Assert.True(id > 0, $"panel id {id}"));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public void Panels_HaveGridPositionsInsideTheGrid_ThatDoNotOverlap(string file)
    {
        var boxes = GrafanaFiles.Panels(GrafanaFiles.LoadDashboard(file)).Select(p =>
        {
            var grid = p["gridPos"]?.AsObject() ?? throw new Xunit.Sdk.XunitException($"panel {p["id"]} has no gridPos");
            var box = (Id: (int)p["id"]!, X: (int)grid["x"]!, Y: (int)grid["y"]!, W: (int)grid["w"]!, H: (int)grid["h"]!);
            Assert.True(box.X >= 0 && box.Y >= 0 && box.W > 0 && box.H > 0 && box.X + box.W <= 24, $"panel {box.Id}: gridPos {grid.ToJsonString()}");
            return box;
        }).ToList();

        foreach (var a in boxes)
        {
            foreach (var b in boxes.Where(b => b.Id > a.Id))
            {
                var overlap = a.X < b.X + b.W && b.X < a.X + a.W && a.Y < b.Y + b.H && b.Y < a.Y + a.H;
                Assert.False(overlap, $"panels {a.Id} and {b.Id} overlap");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public void EveryPanel_UsesAProvisionedDatasourceByUid_AndEveryTargetHasARefId(string file)
    {
        var datasources = GrafanaFiles.LoadDatasources().Datasources.ToDictionary(d => d.Uid, d => d.Type);
        var dashboard = GrafanaFiles.LoadDashboard(file);

        foreach (var panel in GrafanaFiles.QueryPanels(dashboard))
        {
            var title = (string?)panel["title"];
            Assert.False(string.IsNullOrWhiteSpace(title));
            var uid = (string?)panel["datasource"]?["uid"];
            Assert.True(uid is not null && datasources.ContainsKey(uid), $"panel \"{title}\": datasource uid {uid} is not in datasources.yml");
            Assert.Equal(datasources[uid!], (string?)panel["datasource"]!["type"]);

            var targets = panel["targets"]?.AsArray() ?? [];
            Assert.NotEmpty(targets);
            var refIds = targets.Select(t => (string?)t!["refId"]).ToList();
            Assert.All(refIds, r => Assert.False(string.IsNullOrEmpty(r), $"panel \"{title}\": a target without refId"));
            Assert.Equal(refIds.Count, refIds.Distinct().Count());
            Assert.All(targets, t => Assert.Equal(uid, (string?)t!["datasource"]?["uid"] ?? uid));

            foreach (var target in targets.Select(t => t!.AsObject()))
            {
                switch (datasources[uid!])
                {
                    case "prometheus":
                        Assert.False(string.IsNullOrWhiteSpace((string?)target["expr"]), $"panel \"{title}\": no expr");
                        break;
                    case "frser-sqlite-datasource":
                        CheckSqliteTarget((string)panel["type"]!, title!, target);
                        break;
                    case AlertHistoryPostgresDashboardTests.DatasourceType:
                        CheckPostgresTarget((string)panel["type"]!, title!, target);
                        break;
                    default:
                        Assert.Fail($"panel \"{title}\": no check for datasource type {datasources[uid!]}");
                        break;
                }
            }
        }

        foreach (var variable in dashboard["templating"]?["list"]?.AsArray() ?? [])
        {
            var uid = (string?)variable!["datasource"]?["uid"];
            Assert.True(uid is null || datasources.ContainsKey(uid), $"variable {variable["name"]}: datasource uid {uid} is not provisioned");
        }
    }

    [Fact]
    public void ApiPerformance_HasTimeSeriesStatAndGaugePanels()
    {
        var types = GrafanaFiles.QueryPanels(GrafanaFiles.LoadDashboard(GrafanaFiles.ApiPerformance)).Select(p => (string)p["type"]!).ToList();

        Assert.Contains("timeseries", types);
        Assert.Contains("stat", types);
        Assert.Contains("gauge", types);
    }

    /// <summary>A code-mode query of Grafana's SQL query editor: rawSql as written, a table or a time series.</summary>
    private static void CheckPostgresTarget(string panelType, string title, JsonObject target)
    {
        var format = (string?)target["format"];
        Assert.True(format is "table" or "time_series", $"panel \"{title}\": format {format}");
        Assert.False(string.IsNullOrWhiteSpace((string?)target["rawSql"]), $"panel \"{title}\": no rawSql");
        Assert.Equal(true, (bool?)target["rawQuery"]);
        Assert.Equal("code", (string?)target["editorMode"]);
        Assert.Null(target["rawQueryText"]);
        Assert.Equal(panelType == "timeseries", format == "time_series");
    }

    private static void CheckSqliteTarget(string panelType, string title, JsonObject target)
    {
        var queryType = (string?)target["queryType"];
        Assert.True(queryType is "table" or "time series", $"panel \"{title}\": queryType {queryType}");
        var raw = (string?)target["rawQueryText"];
        Assert.False(string.IsNullOrWhiteSpace(raw), $"panel \"{title}\": no rawQueryText");
        Assert.Equal(raw, (string?)target["queryText"]);
        var timeColumns = target["timeColumns"]?.AsArray() ?? throw new Xunit.Sdk.XunitException($"panel \"{title}\": no timeColumns");

        if (panelType == "timeseries")
        {
            Assert.Equal("time series", queryType);
            Assert.NotEmpty(timeColumns);
        }

        if (queryType == "time series")
        {
            Assert.Equal("timeseries", panelType);
        }
    }
}
