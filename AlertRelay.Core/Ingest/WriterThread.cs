using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace AlertRelay.Core.Ingest;

/// <summary>Lowers the calling thread's scheduling priority (Linux: its nice value; a thread may always lower its own).</summary>
internal static class WriterThread
{
    private const int PRIO_PROCESS = 0;

    public static void Lower(int niceness, ILogger logger)
    {
        if (niceness == 0 || !OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            if (SetPriority(PRIO_PROCESS, GetTid(), niceness) != 0)
            {
                logger.LogWarning("Could not lower the ingest writer's priority to nice {niceness} (errno {errno}); it runs at the default",
                    niceness, Marshal.GetLastPInvokeError());
            }
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            logger.LogWarning("Could not lower the ingest writer's priority ({message}); it runs at the default", ex.Message);
        }
    }

    [DllImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static extern int SetPriority(int which, int who, int priority);

    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int GetTid();
}
