using System.Globalization;

namespace AlertRelay.Tests.TimeIntervals;

/// <summary>Reads the instants of Alertmanager's timeinterval tests, written in Go's RFC822Z layout ("02 Jan 06 15:04 -0700").</summary>
internal static class GoTime
{
    public static DateTimeOffset Parse(string text)
    {
        var split = text.LastIndexOf(' ');
        var offset = text[(split + 1)..];
        var local = DateTime.ParseExact(text[..split], "d MMM yy HH:mm", CultureInfo.InvariantCulture);
        var sign = offset[0] == '-' ? -1 : 1;
        var span = new TimeSpan(int.Parse(offset[1..3], CultureInfo.InvariantCulture), int.Parse(offset[3..5], CultureInfo.InvariantCulture), 0);
        return new DateTimeOffset(local, sign * span);
    }
}
