using System.Diagnostics;
using System.Text;

namespace AlertRelay.Tests.TestData;

/// <summary>
/// A real Prometheus Alertmanager (Debian's prometheus-alertmanager, installed by scripts/test.sh) on a
/// free loopback port, with its own config and storage directory; killed on dispose.
/// </summary>
public sealed class AlertmanagerProcess : IAsyncDisposable
{
    public const string Binary = "prometheus-alertmanager";

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AlertmanagerProcess(Process process, string directory, int port)
    {
        _process = process;
        Directory = directory;
        Url = $"http://127.0.0.1:{port}";
        Client = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(10) };
    }

    public string Directory { get; }

    public string Url { get; }

    public HttpClient Client { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts Alertmanager with <paramref name="configYaml"/> and waits until it is ready.</summary>
    public static async Task<AlertmanagerProcess> StartAsync(string configYaml)
    {
        var path = FindBinary() ?? throw new InvalidOperationException(
            $"{Binary} is not installed: run the tests with scripts/test.sh, which apt-installs it (Debian package prometheus-alertmanager)");
        var directory = Path.Combine(Path.GetTempPath(), "alertrelay-tests", "am-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "data"));
        var configPath = Path.Combine(directory, "alertmanager.yml");
        await File.WriteAllTextAsync(configPath, configYaml);
        var port = FreePort.Get();

        var info = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            $"--config.file={configPath}",
            $"--storage.path={Path.Combine(directory, "data")}",
            $"--web.listen-address=127.0.0.1:{port}",
            $"--web.external-url=http://127.0.0.1:{port}",
            "--cluster.listen-address=",
            "--log.level=debug",
        })
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info)!;
        var alertmanager = new AlertmanagerProcess(process, directory, port);
        process.OutputDataReceived += (_, e) => alertmanager.Append(e.Data);
        process.ErrorDataReceived += (_, e) => alertmanager.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Alertmanager exited with {process.ExitCode}:\n{alertmanager.Output}");
            }

            try
            {
                if ((await alertmanager.Client.GetAsync("/-/ready")).IsSuccessStatusCode)
                {
                    return alertmanager;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        await alertmanager.DisposeAsync();
        throw new TimeoutException($"Alertmanager did not become ready:\n{alertmanager.Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static string? FindBinary() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin")
            .Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, Binary))
            .FirstOrDefault(File.Exists);

    /// <summary>The value of a counter in Alertmanager's own /metrics, summed over the series that contain <paramref name="labelFilter"/>.</summary>
    public async Task<double> MetricAsync(string name, string labelFilter = "")
    {
        var text = await Client.GetStringAsync("/metrics");
        return text.Split('\n')
            .Where(line => line.StartsWith(name, StringComparison.Ordinal) && line.Contains(labelFilter, StringComparison.Ordinal))
            .Where(line => line.Length > name.Length && (line[name.Length] == '{' || line[name.Length] == ' '))
            .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        finally
        {
            _process.Dispose();
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
