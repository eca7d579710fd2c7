using System.Diagnostics;
using AlertRelay.Core.Postgres;
using AlertRelay.Tests.Dashboards;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using YamlDotNet.RepresentationModel;

namespace AlertRelay.Tests.Monitoring;

/// <summary>
/// The compose profile ha: a postgres service and two AlertRelay replicas on it (docker-compose.yml), Alertmanager's
/// configuration for them, Grafana's read-only role (monitoring/postgres/initdb/) and its PostgreSQL datasource.
/// </summary>
public sealed class ComposeHaProfileTests
{
    public const string Profile = "ha";

    private static readonly string[] Replicas = ["alertrelay-a", "alertrelay-b"];

    private static readonly string[] HaServices = ["alertrelay-a", "alertrelay-b", "postgres"];

    [Fact]
    public void OnlyThePostgresServiceAndTheReplicas_AreInTheProfile_AllInTheBaseFile()
    {
        var compose = ComposeProject.Load();
        var profiled = compose.Services()
            .Where(service => service.Service.Get("profiles") is not null)
            .Select(service => (service.File, service.Name, Profiles: service.Service.Seq("profiles").Select(p => p.Text()).ToList()))
            .ToList();

        Assert.Equal(HaServices, profiled.Select(s => s.Name).Order(StringComparer.Ordinal));
        Assert.All(profiled, s => Assert.Equal([Profile], s.Profiles));
        Assert.All(profiled, s => Assert.Equal(MonitoringFiles.ComposeRelative, s.File));
    }

    [Fact]
    public void Postgres_IsTheOfficialImage_WithItsPasswordFromASecretFile_AHealthcheck_AndAVolume()
    {
        var compose = ComposeProject.Load();
        var postgres = Service(compose, "postgres");

        Assert.Matches(@"^postgres:\d+(\.\d+)*$", postgres.Text("image"));
        var environment = postgres.Map("environment")!;
        Assert.Null(environment.Text("POSTGRES_PASSWORD"));
        Assert.Equal("/run/secrets/postgres-password", environment.Text("POSTGRES_PASSWORD_FILE"));
        Assert.Contains("postgres-password", postgres.Seq("secrets").Select(s => s.Text()));
        Assert.Equal("./secrets/postgres-password.txt", compose.TopLevel("secrets")["postgres-password"]?.Text("file"));

        var test = postgres.Map("healthcheck")!.Seq("test").Select(t => t.Text()).ToList();
        Assert.Equal("CMD", test[0]);
        Assert.Equal("pg_isready", test[1]);
        Assert.Contains(environment.Text("POSTGRES_USER"), test);
        Assert.Contains(environment.Text("POSTGRES_DB"), test);

        var mounts = compose.Mounts().Where(m => m.Service == "postgres").ToList();
        var data = Assert.Single(mounts, m => m.Kind == ComposeMount.Volume);
        Assert.Equal("/var/lib/postgresql/data", data.Target);
        Assert.True(compose.TopLevel("volumes").ContainsKey(data.Source!), $"volume {data.Source} is not declared");
        var init = Assert.Single(mounts, m => m.Kind == ComposeMount.Bind);
        Assert.Equal("./" + MonitoringFiles.PostgresInitDirectoryRelative, init.Source);
        Assert.Equal("/docker-entrypoint-initdb.d", init.Target);
        Assert.True(init.ReadOnly);

        // Reached over the compose network only.
        Assert.Empty(postgres.Seq("ports"));
    }

    [Fact]
    public void Replicas_RunAlertRelayOnPostgres_AfterItIsHealthy_OnTheSameNetwork_OnDistinctPorts()
    {
        var compose = ComposeProject.Load();
        var single = Service(compose, "alertrelay");
        var postgresEnvironment = Service(compose, "postgres").Map("environment")!;
        var hostPorts = new List<string> { HostPort(single) };

        foreach (var name in Replicas)
        {
            var replica = Service(compose, name);
            var environment = replica.Map("environment")!;

            Assert.Equal("postgres", environment.Text("AlertRelay__Database__Provider"));
            Assert.Null(environment.Text("AlertRelay__Database__ConnectionString"));
            var connectionFile = environment.Text("AlertRelay__Database__ConnectionStringFile")!;
            var secret = Path.GetFileName(connectionFile);
            Assert.Equal($"/run/secrets/{secret}", connectionFile);
            Assert.Contains(secret, replica.Seq("secrets").Select(s => s.Text()));
            Assert.True(compose.TopLevel("secrets").ContainsKey(secret), $"{name}: no top-level secret {secret}");

            // The same image, tokens and routing configuration as the SQLite instance.
            Assert.Equal(single.Text("image"), replica.Text("image"));
            foreach (var key in new[] { "AlertRelay__Auth__WebhookTokenFile", "AlertRelay__Auth__ReadTokenFile", "AlertRelay__ConfigFile" })
            {
                Assert.Equal(single.Map("environment")!.Text(key), environment.Text(key));
            }

            Assert.Equal(
                compose.Mounts().Where(m => m.Service == "alertrelay" && m.Kind == ComposeMount.Bind).Select(m => $"{m.Source}:{m.Target}:{m.ReadOnly}"),
                compose.Mounts().Where(m => m.Service == name && m.Kind == ComposeMount.Bind).Select(m => $"{m.Source}:{m.Target}:{m.ReadOnly}"));
            // No SQLite volume: the history is in PostgreSQL.
            Assert.DoesNotContain(compose.Mounts(), m => m.Service == name && m.Kind == ComposeMount.Volume);

            var dependsOn = replica.Map("depends_on");
            Assert.True(dependsOn is not null, $"{name}: depends_on must be the long form, with conditions");
            Assert.Equal("service_healthy", dependsOn.Map("postgres")?.Text("condition"));

            // Every service on the project's default network: no service names networks of its own.
            Assert.Null(replica.Get("networks"));
            Assert.Equal(single.Text("stop_grace_period"), replica.Text("stop_grace_period"));
            Assert.Equal(
                single.Map("healthcheck")!.Seq("test").Select(t => t.Text()),
                replica.Map("healthcheck")!.Seq("test").Select(t => t.Text()));
            hostPorts.Add(HostPort(replica));
        }

        Assert.Null(Service(compose, "postgres").Get("networks"));
        Assert.Null(single.Get("networks"));
        Assert.Equal(hostPorts.Count, hostPorts.Distinct().Count());

        // The connection string names the database and role the postgres service creates (documented in the header).
        var header = File.ReadAllText(MonitoringFiles.Absolute(MonitoringFiles.ComposeRelative));
        Assert.Contains(
            $"Host=postgres;Port=5432;Database={postgresEnvironment.Text("POSTGRES_DB")};Username={postgresEnvironment.Text("POSTGRES_USER")};Password=",
            header);
    }

    [Fact]
    public void NoPasswordIsWrittenInTheComposeFiles()
    {
        foreach (var (file, name, service) in ComposeProject.Load().Services())
        {
            foreach (var (key, value) in service.Map("environment")?.Children.Select(pair => (pair.Key, pair.Value)) ?? [])
            {
                var variable = key.Text()!;
                if (variable.Contains("PASSWORD", StringComparison.OrdinalIgnoreCase) || variable.Contains("Token", StringComparison.Ordinal))
                {
                    var text = value.Text() ?? "";
                    Assert.True(
                        text.StartsWith("/run/secrets/", StringComparison.Ordinal) || (text.StartsWith("${", StringComparison.Ordinal) && text.EndsWith('}')),
                        $"{file}: services.{name}.environment.{variable} must name a secret file or take the environment's value, was '{text}'");
                }
            }
        }
    }

    [Fact]
    public void Grafana_GetsThePostgresDatasourcesRole_FromTheSameVariablesAsThePostgresInitScript()
    {
        var compose = ComposeProject.Load();
        var grafana = Service(compose, "grafana").Map("environment")!;
        var postgres = Service(compose, "postgres").Map("environment")!;
        const string user = DashboardStructureTests.PostgresGrafanaUserVariable;
        const string password = DashboardStructureTests.PostgresGrafanaPasswordVariable;

        Assert.False(string.IsNullOrEmpty(grafana.Text(user)));
        Assert.Equal(postgres.Text(user), grafana.Text(user));
        Assert.Equal($"${{{password}:-}}", grafana.Text(password));
        Assert.Equal($"${{{password}:-}}", postgres.Text(password));

        // The provisioning directory (datasources/postgres.yml with it) is mounted as a whole; the datasource's host is
        // the postgres service, its database the one the service creates.
        var mounts = compose.Mounts().Where(m => m.Service == "grafana").ToDictionary(m => m.Target, m => m.Source);
        Assert.Equal("./monitoring/grafana/provisioning", mounts["/etc/grafana/provisioning"]);
        var datasource = Assert.Single(GrafanaFiles.LoadDatasources(GrafanaFiles.PostgresDatasourceFile).Datasources);
        Assert.Equal("postgres:5432", datasource.Url);
        Assert.Equal(postgres.Text("POSTGRES_DB"), datasource.JsonData["database"]);
    }

    [Fact]
    public void Alertmanager_ChoosesItsConfiguration_FromTheEnvironment_DefaultingToTheSingleRelay()
    {
        var compose = ComposeProject.Load();
        var command = Service(compose, "alertmanager").Seq("command").Select(c => c.Text()).ToList();

        Assert.Contains("--config.file=/etc/alertmanager/${ALERTRELAY_ALERTMANAGER_CONFIG:-alertmanager.yml}", command);
        var mount = compose.Mounts().Single(m => m.Service == "alertmanager" && m.Target == "/etc/alertmanager");
        Assert.Equal(Path.GetDirectoryName(MonitoringFiles.AlertmanagerHaConfig), MonitoringFiles.Absolute(mount.Source!));
        Assert.True(File.Exists(MonitoringFiles.AlertmanagerHaConfig));
    }

    [Fact]
    public async Task GrafanaReaderScript_CreatesARoleThatReadsTheMigratedHistory_AndWritesNothing()
    {
        var cluster = await PostgresCluster.Shared;
        var connectionString = await cluster.CreateDatabaseAsync("grafana");
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        var reader = $"grafana_reader_{Guid.NewGuid():N}"[..30];
        var script = MonitoringFiles.Absolute($"{MonitoringFiles.PostgresInitDirectoryRelative}/10-grafana-reader.sh");
        try
        {
            // As the official image runs it: before AlertRelay's migrations, as POSTGRES_USER (here the cluster's superuser).
            var info = new ProcessStartInfo("sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            info.ArgumentList.Add(script);
            info.Environment["PATH"] = $"{PostgresCluster.BinDirectory()}:{info.Environment["PATH"]}";
            info.Environment["PGHOST"] = "127.0.0.1";
            info.Environment["PGPORT"] = cluster.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            info.Environment["POSTGRES_USER"] = "postgres";
            info.Environment["POSTGRES_DB"] = database;
            info.Environment[DashboardStructureTests.PostgresGrafanaUserVariable] = reader;
            info.Environment[DashboardStructureTests.PostgresGrafanaPasswordVariable] = "not-a-real-password";
            using (var process = Process.Start(info)!)
            {
                var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
                await process.WaitForExitAsync();
                Assert.True(process.ExitCode == 0, $"10-grafana-reader.sh failed:\n{output}");
            }

            using (var migrated = new PostgresDatabase(cluster.ConnectionString(database), 4, 5, NullLogger<PostgresDatabase>.Instance))
            {
                migrated.Migrate();
            }

            var asReader = new NpgsqlConnectionStringBuilder(cluster.ConnectionString(database)) { Username = reader, Pooling = false }.ToString();
            var target = GrafanaFiles.Targets(GrafanaFiles.AlertHistoryPostgres).Single(t => t.PanelId == 12);
            var now = DateTimeOffset.UtcNow;
            Assert.Empty(PostgresSeededHistory.QueryDatabase(asReader, GrafanaPostgresMacros.Expand((string)target.Target["rawSql"]!, now.AddHours(-24), now)).Rows);

            await using var connection = new NpgsqlConnection(asReader);
            await connection.OpenAsync();
            foreach (var sql in new[]
            {
                "INSERT INTO ingest_clock (id, seq) VALUES (false, 0)",
                "UPDATE ingest_clock SET seq = seq + 1",
                "CREATE TABLE grafana_was_here (id int)",
            })
            {
                await using var command = new NpgsqlCommand(sql, connection);
                await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
            }

            // Even outside a read-only transaction the role cannot write: SELECT is all it was granted.
            await using (var begin = new NpgsqlCommand("SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE", connection))
            {
                await begin.ExecuteNonQueryAsync();
            }

            await using var update = new NpgsqlCommand("UPDATE ingest_clock SET seq = seq + 1", connection);
            var denied = await Assert.ThrowsAsync<PostgresException>(() => update.ExecuteNonQueryAsync());
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, denied.SqlState);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(cluster.ConnectionString(database));
            await admin.OpenAsync();
            // The role's default privileges live in the database: dropped with them (if the script got as far as the role).
            await using (var drop = new NpgsqlCommand($"DO $$ BEGIN IF EXISTS (SELECT FROM pg_roles WHERE rolname = '{reader}') THEN EXECUTE 'DROP OWNED BY \"{reader}\"'; END IF; END $$", admin))
            {
                await drop.ExecuteNonQueryAsync();
            }

            await admin.CloseAsync();
            await using var server = new NpgsqlConnection(cluster.ConnectionString());
            await server.OpenAsync();
            await using (var dropDatabase = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", server))
            {
                await dropDatabase.ExecuteNonQueryAsync();
            }

            await using var dropRole = new NpgsqlCommand($"DROP ROLE IF EXISTS \"{reader}\"", server);
            await dropRole.ExecuteNonQueryAsync();
        }
    }

    private static YamlMappingNode Service(ComposeProject compose, string name) =>
        compose.Services().Last(service => service.Name == name).Service;

    private static string HostPort(YamlMappingNode service)
    {
        var port = Assert.Single(service.Seq("ports")).Text()!;
        var parts = port.Split(':');
        Assert.Equal(3, parts.Length);
        Assert.Equal("5001", parts[2]);
        return parts[1];
    }
}
