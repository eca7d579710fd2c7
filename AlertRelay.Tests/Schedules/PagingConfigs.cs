using AlertRelay.Core.Configuration;
using AlertRelay.Core.Escalation;
using AlertRelay.Core.Routing;
using AlertRelay.Core.Schedules;
using NodaTime;

namespace AlertRelay.Tests.Schedules;

/// <summary>
/// Paging configurations built in code (the schedules section is read by another part): schedule "primary" in Europe/Paris, weekly
/// handoffs on Monday 09:00 local from 2026-01-05 (alice, bob, carol), paged through receiver "oncall-slack" (channel #oncall and an email).
/// </summary>
internal static class PagingConfigs
{
    public static readonly Participant Alice = new("alice", "alice@example.com", "U0ALICE01");
    public static readonly Participant Bob = new("bob", "bob@example.com", "U0BOB0001");
    public static readonly Participant Carol = new("carol", "carol@example.com", null);

    public static IReadOnlyList<Participant> Participants { get; } = [Alice, Bob, Carol];

    public static OncallSchedule Primary(string? receiver = "oncall-slack", params ScheduleOverride[] overrides) =>
        new("primary", DateTimeZoneProviders.Tzdb["Europe/Paris"],
            new Rotation(new LocalDateTime(2026, 1, 5, 9, 0), Duration.FromDays(7), ["alice", "bob", "carol"]), overrides)
        { Receiver = receiver };

    public static ReceiverConfig OncallSlack(string slackBaseUrl = "https://slack.example/api/", string smarthost = "smtp.example:25") =>
        new("oncall-slack",
            [
                new SlackConfig { Channel = "#oncall-webhook", ApiUrl = "https://hooks.example/x" }, // no bot token: not the DM's
                new SlackConfig { Channel = "#oncall", BotToken = "xoxb-paging", ApiBaseUrl = slackBaseUrl, SendResolved = true },
            ],
            [new EmailConfig { To = "oncall@example.com", From = "alertrelay@example.com", Smarthost = smarthost, RequireTls = false, SendResolved = true }],
            []);

    /// <summary>A configuration routing everything to <paramref name="routeReceiver"/>, with the participants' receivers made as the reader makes them.</summary>
    public static RelayConfig Config(
        OncallSchedule schedule, IReadOnlyList<ReceiverConfig> receivers, string routeReceiver = "oncall:primary",
        IReadOnlyList<EscalationPolicy>? escalations = null, IReadOnlyDictionary<string, object?>? global = null)
    {
        var (made, problems) = OncallPagingReceivers.Make(schedule, Participants, receivers, global);
        Assert.Empty(problems);
        return new RelayConfig(new Route(routeReceiver, [], false, []), receivers, [], escalations ?? [], null)
        {
            Global = global ?? new Dictionary<string, object?>(),
            Participants = Participants,
            Schedules = [schedule],
            OncallReceivers = made,
        };
    }
}
