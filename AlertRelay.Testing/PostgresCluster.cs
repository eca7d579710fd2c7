using System.Diagnostics;

namespace AlertRelay.Testing;

/// <summary>
/// A throwaway PostgreSQL cluster from Debian's <c>postgresql</c> package: <c>initdb</c> into a temporary directory, <c>pg_ctl</c>
/// on a free loopback port (as the <c>postgres</c> user when the tests run as root: PostgreSQL refuses root), trust
/// authentication, stopped and deleted on dispose. Each test takes a database of its own (<see cref="CreateDatabaseAsync"/>).
/// A missing PostgreSQL fails the test with the package to install (scripts/test.sh installs it); it never skips.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private static readonly Lazy<Task<PostgresCluster>> SharedCluster = new(async () =>
    {
        var cluster = await StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.StopNow();
        return cluster;
    });

    private readonly string _bin;
    private readonly string _user;
    private int _databases;

    private PostgresCluster(string bin, string directory, int port, string? user)
    {
        _bin = bin;
        Directory = directory;
        Port = port;
        _user = user ?? "";
    }

    /// <summary>One cluster for the whole test run (started on first use, stopped when the test process exits).</summary>
    public static Task<PostgresCluster> Shared => SharedCluster.Value;

    public string Directory { get; }

    public int Port { get; }

    /// <summary>The server's log (startup, errors), for failure messages.</summary>
    public string Log => File.Exists(LogPath) ? File.ReadAllText(LogPath) : "";

    private string DataDirectory => Path.Combine(Directory, "data");

    private string LogPath => Path.Combine(Directory, "postgres.log");

    /// <summary>The connection string of <paramref name="database"/> as the superuser.</summary>
    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Timeout=5";

    /// <summary>The Debian PostgreSQL binaries (the newest installed version).</summary>
    public static string BinDirectory()
    {
        var root = "/usr/lib/postgresql";
        var bin = System.IO.Directory.Exists(root)
            ? System.IO.Directory.GetDirectories(root).Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException(
            "PostgreSQL is not installed (/usr/lib/postgresql/*/bin/initdb): install the Debian package postgresql (scripts/test.sh does)");
    }

    /// <summary>Creates and starts a new cluster.</summary>
    public static async Task<PostgresCluster> StartAsync()
    {
        var bin = BinDirectory();
        var directory = Path.Combine(Path.GetTempPath(), "alertrelay-pg", Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        string? user = null;
        if (Environment.UserName == "root")
        {
            user = "postgres";
            await RunAsync("chown", null, "-R", "postgres:postgres", directory);
            await RunAsync("chmod", null, "755", Path.GetDirectoryName(directory)!);
        }

        var cluster = new PostgresCluster(bin, directory, FreePort.Get(), user);
        await RunAsync(Path.Combine(bin, "initdb"), user, "-D", cluster.DataDirectory, "-A", "trust", "-U", "postgres", "-E", "UTF8",
            "--locale=C.UTF-8", "--no-sync");
        await cluster.StartServerAsync();
        return cluster;
    }

    /// <summary>Starts the server (again, after <see cref="StopAsync"/>) on the same port and data.</summary>
    public Task StartServerAsync() =>
        RunAsync(Path.Combine(_bin, "pg_ctl"), NullIfEmpty(_user), "-D", DataDirectory, "-l", LogPath, "-w", "-t", "60", "-o",
            $"-p {Port} -k {Directory} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300 -c shared_buffers=32MB", "start");

    /// <summary>Stops the server at once (<c>-m immediate</c>: as if it crashed); <see cref="StartServerAsync"/> brings it back.</summary>
    public Task StopAsync() => RunAsync(Path.Combine(_bin, "pg_ctl"), NullIfEmpty(_user), "-D", DataDirectory, "-m", "immediate", "-w", "stop");

    /// <summary>A new, empty database; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "t")
    {
        var name = $"{prefix}_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid():N}"[..Math.Min(60, prefix.Length + 24)].ToLowerInvariant();
        await RunAsync(Path.Combine(_bin, "psql"), null, "-h", "127.0.0.1", "-p", Port.ToString(), "-U", "postgres", "-d", "postgres",
            "-v", "ON_ERROR_STOP=1", "-q", "-c", $"CREATE DATABASE \"{name}\"");
        return ConnectionString(name);
    }

    /// <summary>Runs a PostgreSQL client program of the cluster's version (psql, pg_dump, pg_restore) and returns its output.</summary>
    public Task<string> RunClientAsync(string program, params string[] arguments) => RunAsync(Path.Combine(_bin, program), null, arguments);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void StopNow()
    {
        try
        {
            StopAsync().GetAwaiter().GetResult();
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (Exception)
        {
            // The process is exiting: nothing more to do.
        }
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private static async Task<string> RunAsync(string program, string? user, params string[] arguments)
    {
        var info = new ProcessStartInfo(user is null ? program : "runuser")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (user is not null)
        {
            info.ArgumentList.Add("-u");
            info.ArgumentList.Add(user);
            info.ArgumentList.Add("--");
            info.ArgumentList.Add(program);
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["LC_ALL"] = "C.UTF-8";
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited {process.ExitCode}: {await stderr}{await stdout}");
        }

        return await stdout;
    }
}
