namespace AlertRelay.Core.TimeIntervals;

/// <summary>A range of whole numbers with both ends included (Alertmanager's <c>InclusiveRange</c>): weekdays, days of month, months, years.</summary>
public readonly record struct InclusiveRange(int Begin, int End)
{
    /// <summary>Whether <paramref name="value"/> lies between <see cref="Begin"/> and <see cref="End"/>, both included.</summary>
    public bool Contains(int value) => value >= Begin && value <= End;

    public override string ToString() => Begin == End ? $"{Begin}" : $"{Begin}:{End}";
}
