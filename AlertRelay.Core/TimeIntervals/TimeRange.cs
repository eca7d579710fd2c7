namespace AlertRelay.Core.TimeIntervals;

/// <summary>A <c>times</c> entry: minutes of the day from <see cref="StartMinute"/> (included) to <see cref="EndMinute"/> (excluded; 1440 is 24:00).</summary>
public readonly record struct TimeRange(int StartMinute, int EndMinute)
{
    /// <summary>Whether the minute of the day <paramref name="minute"/> (0..1439) is in the range.</summary>
    public bool Contains(int minute) => minute >= StartMinute && minute < EndMinute;

    public override string ToString() => $"{StartMinute / 60:00}:{StartMinute % 60:00}-{EndMinute / 60:00}:{EndMinute % 60:00}";
}
