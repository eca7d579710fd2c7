using System.Globalization;

namespace AlertRelay.Bench;

/// <summary>Table cells and machine facts shared by the notify, history and start-up scenarios.</summary>
public static class Cells
{
    public static string Int(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Fixed(double? value, int decimals) =>
        value is { } v && double.IsFinite(v) ? v.ToString("F" + decimals, CultureInfo.InvariantCulture) : "n/a";

    public static string Ms(double? value) => Fixed(value, value is { } v && Math.Abs(v) >= 100 ? 0 : 1);

    public static string Mib(long? bytes) => Fixed(bytes / (1024.0 * 1024.0), 1);

    /// <summary>The 1, 5 and 15 minute load averages (/proc/loadavg), e.g. "1.52 1.80 2.01", or "n/a" off Linux.</summary>
    public static string LoadAverage()
    {
        const string path = "/proc/loadavg";
        return File.Exists(path) ? string.Join(' ', File.ReadAllText(path).Split(' ').Take(3)) : "n/a";
    }
}
