using System.Net.Http.Json;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Routing;
using AlertRelay.Core.TimeIntervals;
using NodaTime;
using Xunit.Abstractions;

namespace AlertRelay.IntegrationTests.TimeIntervals;

/// <summary>
/// The mute decision against a real Alertmanager 0.25: one configuration whose routes (all matching, each to its own receiver)
/// use intervals built from the current UTC time to be active or not right now (today's weekday, tomorrow's, this year, 2000,
/// a weekday in a zone 14 hours ahead, empty lists, no periods). Alertmanager delivers to a <see cref="WebhookStub"/> or logs
/// that the route is muted; AlertRelay's routing and <see cref="TimeMuteStage"/> at the same instant must choose exactly the
/// receivers it delivered to.
/// </summary>
public sealed class AlertmanagerTimeIntervalDecisionTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private const string FarZone = "Pacific/Kiritimati"; // UTC+14: often another weekday than UTC

    private static readonly (string Receiver, string Mute, string Active)[] Routes =
    [
        ("mute-today", "weekday-today", ""),
        ("mute-tomorrow", "weekday-tomorrow", ""),
        ("active-today", "", "weekday-today"),
        ("active-tomorrow", "", "weekday-tomorrow"),
        ("active-past-or-now", "", "years-2000, years-now"),
        ("mute-past", "years-2000", ""),
        ("active-zone-weekday", "", "zone-weekday"),
        ("mute-zone-on-utc-weekday", "zone-on-utc-weekday", ""),
        ("mute-empty-weekdays", "empty-weekdays", ""),
        ("active-empty-weekdays", "", "empty-weekdays"),
        ("active-no-periods", "", "no-periods"),
        ("active-and-muted", "years-now", "weekday-today"),
        ("last-day-of-month", "", "last-days"),
    ];

    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];
    private WebhookStub _stub = null!;
    private ServerProcess _alertmanager = null!;
    private RelayConfig _config = null!;
    private DateTimeOffset _started;

    public async Task InitializeAsync()
    {
        _stub = await WebhookStub.StartAsync();
        _started = DateTimeOffset.UtcNow;
        var yaml = Yaml(_started, _stub.Url);
        _config = RelayConfigLoader.LoadFromYaml(yaml, "alertmanager.yml");
        _alertmanager = await AlertmanagerProcess.StartAsync(yaml, Path.Combine(Path.GetTempPath(), "alertrelay-tests", "intervals-" + _suffix));
    }

    public async Task DisposeAsync()
    {
        await _alertmanager.DisposeAsync();
        await _stub.DisposeAsync();
    }

    private static string Name(IsoDayOfWeek day) => day.ToString().ToLowerInvariant();

    private static string Yaml(DateTimeOffset now, string url)
    {
        var utc = Instant.FromDateTimeOffset(now).InUtc();
        var far = Instant.FromDateTimeOffset(now).InZone(DateTimeZoneProviders.Tzdb[FarZone]);
        var routes = string.Join("", Routes.Select(r => $"""
                - receiver: {r.Receiver}
                  matchers: ['route!="{r.Receiver}"']
                  continue: true
                  mute_time_intervals: [{r.Mute}]
                  active_time_intervals: [{r.Active}]

            """));
        var receivers = string.Join("", Routes.Select(r => $"  - name: {r.Receiver}\n    webhook_configs: [{{url: '{url}'}}]\n"));
        return $$"""
            route:
              receiver: root
              group_by: ['...']
              group_wait: 1s
              group_interval: 1s
              repeat_interval: 1h
              routes:
            {{routes}}receivers:
              - name: root
            {{receivers}}time_intervals:
              - name: weekday-today
                time_intervals: [{weekdays: [{{Name(utc.DayOfWeek)}}]}]
              - name: weekday-tomorrow
                time_intervals: [{weekdays: [{{Name(utc.Date.PlusDays(1).DayOfWeek)}}]}]
              - name: years-now
                time_intervals: [{years: ['{{utc.Year}}:{{utc.Year + 1}}']}]
              - name: years-2000
                time_intervals: [{years: ['2000:2001']}]
              - name: zone-weekday
                time_intervals: [{weekdays: [{{Name(far.DayOfWeek)}}], location: {{FarZone}}}]
              - name: zone-on-utc-weekday
                time_intervals: [{weekdays: [{{Name(utc.DayOfWeek)}}], location: {{FarZone}}}]
              - name: empty-weekdays
                time_intervals: [{weekdays: []}]
              - name: no-periods
                time_intervals: []
              - name: last-days
                time_intervals: [{days_of_month: ['-3:-1'], months: ['{{utc.Month}}']}]
            """;
    }

    private IReadOnlyList<string> Delivered() =>
        [.. _stub.Delivered.Select(r => r.Json?["receiver"]?.GetValue<string>() ?? "").Distinct().Order(StringComparer.Ordinal)];

    /// <summary>
    /// How often Alertmanager flushed the route's aggregation group. A group notifies synchronously inside its flush, so once
    /// it flushed twice (group_interval 1s) its first notification is delivered or was muted by time.
    /// </summary>
    private int Flushes(string receiver) =>
        _alertmanager.Output.Split('\n').Count(line => line.Contains("msg=flushing", StringComparison.Ordinal)
            && line.Contains($"route!=\\\"{receiver}\\\"}}", StringComparison.Ordinal));

    private int NotSentLines(string reason) =>
        _alertmanager.Output.Split('\n').Count(line => line.Contains($"Notifications not sent, route is {reason}", StringComparison.Ordinal));

    private ReceiverSelection Decide(LabelSet labels, DateTimeOffset now) =>
        TimeMuteStage.Select(RoutingStage.Match(_config.Route, labels), _config.TimeIntervals, now);

    [Fact]
    public async Task Alertmanager_DeliversToExactlyTheReceivers_AlertRelayDecidesToSend()
    {
        var labels = LabelSet.From(("alertname", "Intervals_" + _suffix), ("severity", "critical"));
        var decided = Decide(labels, DateTimeOffset.UtcNow);
        var alert = new[] { new { labels = labels.ToDictionary(), startsAt = DateTimeOffset.UtcNow.AddSeconds(-5).ToString("O") } };

        (await _alertmanager.Client.PostAsJsonAsync("/api/v2/alerts", alert)).EnsureSuccessStatusCode();

        await Eventually.UntilAsync(() => Routes.All(r => Flushes(r.Receiver) >= 2), Patience,
            "every route's group flushed twice. Alertmanager log:", () => _alertmanager.Output);
        var after = Decide(labels, DateTimeOffset.UtcNow);
        Assert.True(after.Send.SequenceEqual(decided.Send), "the UTC day changed during the test: run it again");

        var sent = decided.Send.Order(StringComparer.Ordinal).ToArray();
        output.WriteLine($"AlertRelay sends to {sent.Length}: {string.Join(", ", sent)}");
        output.WriteLine($"AlertRelay mutes {decided.Muted.Count}: {string.Join(", ", decided.Muted.Select(m => $"{m.Receiver} ({m.Decision.ReasonText}: {string.Join(",", m.Decision.Intervals)})"))}");
        output.WriteLine($"Alertmanager delivered to {Delivered().Count}: {string.Join(", ", Delivered())}");
        Assert.Equal(sent, Delivered());
        Assert.True(NotSentLines("within mute time") > 0, "Alertmanager logged no mute_time_intervals mute");
        Assert.True(NotSentLines("not within active time") > 0, "Alertmanager logged no active_time_intervals mute");
        Assert.InRange(decided.Muted.Count, 4, Routes.Length - 4); // the config has both kinds
    }
}
