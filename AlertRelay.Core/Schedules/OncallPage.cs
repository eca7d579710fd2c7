namespace AlertRelay.Core.Schedules;

/// <summary>Who a notification pages: the participant on call for <see cref="Schedule"/> when the route or step notified <c>oncall:&lt;schedule&gt;</c>.</summary>
public sealed record OncallPage(string Schedule, string Participant)
{
    /// <summary>The prefix of a receiver name that pages the person on call of a schedule: <c>oncall:primary</c>.</summary>
    public const string ReceiverPrefix = "oncall:";

    /// <summary>The schedule a receiver name pages (<c>oncall:primary</c> → <c>primary</c>), or <see langword="null"/> for an ordinary receiver.</summary>
    public static string? ScheduleOf(string receiver) =>
        receiver.StartsWith(ReceiverPrefix, StringComparison.Ordinal) ? receiver[ReceiverPrefix.Length..] : null;
}
