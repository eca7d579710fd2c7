namespace AlertRelay.Core.Alerts;

/// <summary>Conversions between instants and the unix-epoch milliseconds the history store keeps.</summary>
public static class UnixMillis
{
    public static long From(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    public static DateTimeOffset ToDateTimeOffset(long millis) => DateTimeOffset.FromUnixTimeMilliseconds(millis);

    /// <summary>The same instant in UTC, truncated to whole milliseconds.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset value) => ToDateTimeOffset(From(value));
}
