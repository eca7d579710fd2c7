using AlertRelay.Core.Configuration;
using Xunit.Abstractions;

namespace AlertRelay.IntegrationTests.TimeIntervals;

/// <summary>
/// Configurations with time intervals, valid and invalid, checked by Alertmanager 0.25's <c>amtool check-config</c> and by
/// AlertRelay's loader: both must accept or both must refuse each one. A missing amtool fails the test, it never skips.
/// </summary>
public sealed class TimeIntervalCheckConfigTests(ITestOutputHelper output)
{
    private const string Route = """
        route:
          receiver: r
          routes:
            - receiver: r
              mute_time_intervals: [a]
        receivers: [{name: r}]

        """;

    /// <summary>A named configuration: <see cref="Route"/> plus <c>a</c>'s definition, or a whole file when it starts with "route:".</summary>
    public static readonly (string Name, string Yaml)[] Cases =
    [
        ("business hours", "time_intervals:\n  - name: a\n    time_intervals:\n      - times: [{start_time: '09:00', end_time: '17:00'}]\n        weekdays: ['monday:friday']\n"),
        ("every field", "time_intervals:\n  - name: a\n    time_intervals:\n      - times: [{start_time: '00:00', end_time: '24:00'}]\n        weekdays: [Sunday, 'tuesday:thursday']\n        days_of_month: ['1:-1', '-7:-1', 3]\n        months: ['January:march', '12', 'may:6']\n        years: ['2020:2030', 2040]\n        location: Australia/Sydney\n"),
        ("old section", "mute_time_intervals:\n  - name: a\n    time_intervals: [{weekdays: [saturday, sunday]}]\n"),
        ("both sections", "mute_time_intervals:\n  - name: a\n    time_intervals: []\ntime_intervals:\n  - name: b\n    time_intervals: [{years: ['2020']}]\n"),
        ("empty lists", "time_intervals:\n  - name: a\n    time_intervals:\n      - weekdays: []\n        times: []\n"),
        ("no periods", "time_intervals:\n  - name: a\n"),
        ("null period", "time_intervals:\n  - name: a\n    time_intervals: [~]\n"),
        ("location UTC", "time_intervals:\n  - name: a\n    time_intervals: [{location: UTC}]\n"),
        ("location Local", "time_intervals:\n  - name: a\n    time_intervals: [{location: Local}]\n"),
        ("location US/Eastern", "time_intervals:\n  - name: a\n    time_intervals: [{location: US/Eastern}]\n"),
        ("month 13", "time_intervals:\n  - name: a\n    time_intervals: [{months: ['13']}]\n"),
        ("negative year", "time_intervals:\n  - name: a\n    time_intervals: [{years: ['-5:2']}]\n"),
        ("start after end", "time_intervals:\n  - name: a\n    time_intervals:\n      - times: [{start_time: '17:00', end_time: '09:00'}]\n"),
        ("start equals end", "time_intervals:\n  - name: a\n    time_intervals:\n      - times: [{start_time: '09:00', end_time: '09:00'}]\n"),
        ("end 24:01", "time_intervals:\n  - name: a\n    time_intervals:\n      - times: [{start_time: '09:00', end_time: '24:01'}]\n"),
        ("single-digit hour", "time_intervals:\n  - name: a\n    time_intervals:\n      - times: [{start_time: '9:00', end_time: '17:00'}]\n"),
        ("missing end", "time_intervals:\n  - name: a\n    time_intervals:\n      - times: [{start_time: '09:00'}]\n"),
        ("unknown times key", "time_intervals:\n  - name: a\n    time_intervals:\n      - times: [{start_time: '09:00', end_time: '10:00', stop_time: '11:00'}]\n"),
        ("invalid weekday", "time_intervals:\n  - name: a\n    time_intervals: [{weekdays: [funday]}]\n"),
        ("numeric weekday", "time_intervals:\n  - name: a\n    time_intervals: [{weekdays: ['1:3']}]\n"),
        ("weekdays reversed", "time_intervals:\n  - name: a\n    time_intervals: [{weekdays: ['friday:monday']}]\n"),
        ("weekdays not a list", "time_intervals:\n  - name: a\n    time_intervals: [{weekdays: monday}]\n"),
        ("day of month 0", "time_intervals:\n  - name: a\n    time_intervals: [{days_of_month: ['0']}]\n"),
        ("day of month 32", "time_intervals:\n  - name: a\n    time_intervals: [{days_of_month: ['1:32']}]\n"),
        ("negative to positive days", "time_intervals:\n  - name: a\n    time_intervals: [{days_of_month: ['-15:5']}]\n"),
        ("end day always before start", "time_intervals:\n  - name: a\n    time_intervals: [{days_of_month: ['10:-25']}]\n"),
        ("months reversed", "time_intervals:\n  - name: a\n    time_intervals: [{months: ['december:january']}]\n"),
        ("invalid month", "time_intervals:\n  - name: a\n    time_intervals: [{months: ['martius']}]\n"),
        ("years reversed", "time_intervals:\n  - name: a\n    time_intervals: [{years: ['2022:2020']}]\n"),
        ("three-part range", "time_intervals:\n  - name: a\n    time_intervals: [{years: ['2020:2021:2022']}]\n"),
        ("unknown location", "time_intervals:\n  - name: a\n    time_intervals: [{location: Europe/Atlantis}]\n"),
        ("lower-case utc", "time_intervals:\n  - name: a\n    time_intervals: [{location: utc}]\n"),
        ("unknown period key", "time_intervals:\n  - name: a\n    time_intervals: [{weekday: [monday]}]\n"),
        ("unknown interval key", "time_intervals:\n  - name: a\n    intervals: []\n"),
        ("missing name", "time_intervals:\n  - name: a\n  - time_intervals: []\n"),
        ("duplicate name", "time_intervals:\n  - name: a\n  - name: a\n"),
        ("duplicate across sections", "mute_time_intervals:\n  - name: a\ntime_intervals:\n  - name: a\n"),
        ("undefined in route", "route:\n  receiver: r\n  routes:\n    - active_time_intervals: [nope]\nreceivers: [{name: r}]\n"),
        ("root route mute", "route:\n  receiver: r\n  mute_time_intervals: [a]\nreceivers: [{name: r}]\ntime_intervals: [{name: a}]\n"),
    ];

    [Fact]
    public async Task CheckConfig_AgreesWithAmtool_OnEveryTimeIntervalConfig()
    {
        var disagreements = new List<string>();
        var refusedByBoth = 0;
        foreach (var (name, yaml) in Cases)
        {
            var text = yaml.StartsWith("route:", StringComparison.Ordinal) ? yaml : Route + yaml;
            var path = RepositoryFiles.WriteTemp(text, "alertmanager.yml");
            try
            {
                var amtool = await DebianTool.Amtool.RunAsync("check-config", path);
                var amtoolAccepts = amtool.ExitCode == 0;
                string ours;
                try
                {
                    RelayConfigLoader.LoadFromYaml(text, "alertmanager.yml");
                    ours = "accepted";
                }
                catch (ConfigException e)
                {
                    ours = string.Join("; ", e.Errors.Select(x => x.ToString()));
                }

                var ourAccepts = ours == "accepted";
                refusedByBoth += !amtoolAccepts && !ourAccepts ? 1 : 0;
                output.WriteLine($"{name}: amtool {(amtoolAccepts ? "accepts" : "refuses")}, AlertRelay {(ourAccepts ? "accepts" : "refuses: " + ours)}");
                if (amtoolAccepts != ourAccepts)
                {
                    disagreements.Add($"{name}: amtool exit {amtool.ExitCode} ({amtool.Output.Trim()}), AlertRelay {ours}");
                }
            }
            finally
            {
                File.Delete(path);
            }
        }

        output.WriteLine($"agreement: {Cases.Length - disagreements.Count}/{Cases.Length} ({refusedByBoth} refused by both)");
        Assert.True(disagreements.Count == 0, string.Join("\n", disagreements));
        Assert.InRange(refusedByBoth, 20, Cases.Length - 10); // the set has both kinds
    }
}
