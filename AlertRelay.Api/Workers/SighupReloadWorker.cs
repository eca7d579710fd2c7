using System.Runtime.InteropServices;
using AlertRelay.Core.Configuration;

namespace AlertRelay.Api.Workers;

/// <summary>Reloads the configuration file on SIGHUP, as Prometheus and Alertmanager do.</summary>
public sealed class SighupReloadWorker(RelayConfigProvider config) : IHostedService, IDisposable
{
    private PosixSignalRegistration? _registration;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsWindows())
        {
            _registration = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
            {
                context.Cancel = true; // SIGHUP must not stop the process
                config.Reload();
            });
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _registration?.Dispose();
}
