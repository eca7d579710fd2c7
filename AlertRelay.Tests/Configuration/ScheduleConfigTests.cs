using System.Text.RegularExpressions;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Schedules;
using NodaTime;

namespace AlertRelay.Tests.Configuration;

/// <summary>The <c>participants:</c> and <c>oncall_schedules:</c> sections: a valid file read into schedules, and each mistake reported with its line.</summary>
public sealed class ScheduleConfigTests
{
    private const string File = "alertrelay.yml";

    // Line numbers below count from the first line of this text.
    private const string Valid = """
        route:
          receiver: oncall:primary
        receivers:
          - {name: team, slack_configs: [{channel: '#oncall', bot_token: xoxb-test}], email_configs: [{to: team@example.com, from: alertrelay@example.com, smarthost: 'localhost:25'}]}
        participants:
          - name: alice
            email: alice@example.com
          - name: bob
            slack_user_id: U0BOB
          - name: nobody
        oncall_schedules:
          - name: primary
            timezone: Europe/Paris
            receiver: team
            rotation:
              start: 2026-01-05T09:00
              length: 1w
              participants: [alice, bob]
            overrides:
              - participant: bob
                from: 2026-03-28T18:00
                to: 2026-03-30T09:00
        """;

    private const string SecondOverride = """

              - participant: alice
                from: 2026-03-29T12:00
                to: 2026-03-31T09:00
        """;

    private const string SecondSchedule = """

          - name: primary
            timezone: UTC
            rotation: {start: 2026-01-05T09:00, length: 1d, participants: [alice]}
        """;

    /// <summary>The valid file with <see cref="Find"/> replaced by <see cref="Replace"/> (or <see cref="Append"/>ed), and the error it must give.</summary>
    public sealed record BadCase(string Name, string Find, string Replace, int Line, string Path, string Message, int ErrorCount = 1, string Append = "")
    {
        public string Yaml => (Find.Length == 0 ? Valid : Valid.Replace(Find, Replace, StringComparison.Ordinal)) + Append;

        public override string ToString() => Name;
    }

    public static TheoryData<BadCase> BadCases() => new(
    [
        new("unknown rotation participant", "participants: [alice, bob]", "participants: [alice, carol]",
            18, "oncall_schedules[0].rotation.participants[1]", "unknown participant \"carol\" (not in participants)"),
        new("unknown override participant", "- participant: bob", "- participant: dave",
            20, "oncall_schedules[0].overrides[0].participant", "unknown participant \"dave\" (not in participants)"),
        new("invalid time zone", "Europe/Paris", "Europe/Pariss",
            13, "oncall_schedules[0].timezone", "invalid time zone \"Europe/Pariss\" (use an IANA name such as Europe/Paris or UTC)"),
        new("zero-length rotation", "length: 1w", "length: 0",
            17, "oncall_schedules[0].rotation.length", "a rotation length must be greater than 0, got 0s"),
        new("negative rotation", "length: 1w", "length: -1w",
            17, "oncall_schedules[0].rotation.length", "not a valid duration string: \"-1w\""),
        new("override ending before it starts", "to: 2026-03-30T09:00", "to: 2026-03-28T18:00",
            22, "oncall_schedules[0].overrides[0].to", "an override must end after it starts: to 2026-03-28T18:00:00 is not after from 2026-03-28T18:00:00"),
        new("overlapping overrides", "", "",
            23, "oncall_schedules[0].overrides[1]", "override overlaps oncall_schedules[0].overrides[0] (line 20): alice and bob would both be on call",
            Append: SecondOverride),
        new("duplicate participant", "- name: nobody", "- name: alice",
            10, "participants[2].name", "duplicate participant name \"alice\" (first defined on line 6)"),
        new("duplicate schedule", "", "",
            23, "oncall_schedules[1].name", "duplicate schedule name \"primary\" (first defined on line 12)", Append: SecondSchedule),
        new("empty rotation", "participants: [alice, bob]", "participants: []",
            18, "oncall_schedules[0].rotation.participants", "a rotation needs at least one participant"),
        new("bad local time", "start: 2026-01-05T09:00", "start: 2026-01-05 09:00",
            16, "oncall_schedules[0].rotation.start", "invalid local time \"2026-01-05 09:00\" (use yyyy-MM-ddTHH:mm or yyyy-MM-ddTHH:mm:ss, without an offset)"),
        new("date that does not exist", "from: 2026-03-28T18:00", "from: 2026-02-30T18:00",
            21, "oncall_schedules[0].overrides[0].from", "invalid local time \"2026-02-30T18:00\""),
        new("local time with an offset", "start: 2026-01-05T09:00", "start: 2026-01-05T09:00+01:00",
            16, "oncall_schedules[0].rotation.start", "invalid local time \"2026-01-05T09:00+01:00\""),
        new("missing time zone", "    timezone: Europe/Paris\n", "",
            12, "oncall_schedules[0]", "missing required field \"timezone\""),
        new("missing start", "      start: 2026-01-05T09:00\n", "",
            16, "oncall_schedules[0].rotation", "missing required field \"start\""),
        new("missing length", "      length: 1w\n", "",
            16, "oncall_schedules[0].rotation", "missing required field \"length\""),
        new("missing rotation", "    rotation:\n      start: 2026-01-05T09:00\n      length: 1w\n      participants: [alice, bob]\n", "",
            12, "oncall_schedules[0].rotation", "missing required field \"rotation\""),
        new("missing override end", "        to: 2026-03-30T09:00", "",
            20, "oncall_schedules[0].overrides[0]", "missing required field \"to\""),
        new("unknown key", "    timezone: Europe/Paris", "    time_zone: Europe/Paris",
            13, "oncall_schedules[0].time_zone", "unknown field \"time_zone\" (did you mean \"timezone\"?)", ErrorCount: 2),
        new("unknown participant key", "  - name: nobody", "  - name: nobody\n    phone: '0601020304'",
            11, "participants[2].phone", "unknown field \"phone\""),
        new("undefined receiver", "    receiver: team", "    receiver: pager",
            14, "oncall_schedules[0].receiver", "undefined receiver \"pager\""),
        new("participant nobody can reach", "participants: [alice, bob]", "participants: [alice, nobody, nobody]",
            18, "oncall_schedules[0].rotation.participants[1]",
            "participant \"nobody\" (line 10) has neither email nor slack_user_id: a page would reach nobody"),
        new("schedule name with a slash", "  - name: primary", "  - name: team/primary",
            12, "oncall_schedules[0].name", "invalid schedule name \"team/primary\" (letters, digits, '_' and '-' only", ErrorCount: 2),
        new("route to an unknown schedule", "receiver: oncall:primary", "receiver: oncall:secondary",
            2, "route.receiver", "undefined receiver \"oncall:secondary\""),
    ]);

    [Theory]
    [MemberData(nameof(BadCases))]
    public void LoadFromYaml_ReportsLineAndMessage_WhenScheduleSectionIsInvalid(BadCase testCase)
    {
        var exception = Assert.Throws<ConfigException>(() => RelayConfigLoader.LoadFromYaml(testCase.Yaml, File));

        Assert.Contains(exception.Errors, e =>
            e.Line == testCase.Line && e.Path == testCase.Path && e.Message.StartsWith(testCase.Message, StringComparison.Ordinal));
        Assert.Equal(testCase.ErrorCount, exception.Errors.Count);
        Assert.All(exception.Errors, e => Assert.Equal(File, e.File));
    }

    [Fact]
    public void LoadFromYaml_ReadsParticipantsAndSchedules_WhenValid()
    {
        var config = RelayConfigLoader.LoadFromYaml(Valid, File);

        Assert.Equal(
            [new Participant("alice", "alice@example.com", null), new Participant("bob", null, "U0BOB"), new Participant("nobody", null, null)],
            config.Participants);
        var schedule = Assert.Single(config.Schedules);
        Assert.Equal("primary", schedule.Name);
        Assert.Equal("Europe/Paris", schedule.Zone.Id);
        Assert.Equal("team", schedule.Receiver);
        Assert.Equal(new LocalDateTime(2026, 1, 5, 9, 0), schedule.Rotation.Start);
        Assert.Equal(Duration.FromDays(7), schedule.Rotation.Length);
        Assert.Equal(["alice", "bob"], schedule.Rotation.Participants);
        Assert.Equal([new ScheduleOverride("bob", new LocalDateTime(2026, 3, 28, 18, 0), new LocalDateTime(2026, 3, 30, 9, 0))], schedule.Overrides);
        Assert.Same(schedule, config.FindSchedule("primary"));
        Assert.Equal("oncall:primary", config.Route.Receiver);
    }

    [Fact]
    public void LoadFromYaml_KeepsTheReceiverAndSeconds_WhenGiven()
    {
        var yaml = Valid
            .Replace("    timezone: Europe/Paris", "    timezone: America/New_York", StringComparison.Ordinal)
            .Replace("start: 2026-01-05T09:00", "start: 2026-01-05T09:00:30", StringComparison.Ordinal);

        var schedule = Assert.Single(RelayConfigLoader.LoadFromYaml(yaml, File).Schedules);

        Assert.Equal("team", schedule.Receiver);
        Assert.Equal("America/New_York", schedule.Zone.Id);
        Assert.Equal(new LocalDateTime(2026, 1, 5, 9, 0, 30), schedule.Rotation.Start);
    }

    [Fact]
    public void LoadFromYaml_ReadsTheIssueExample_WhenEveryParticipantIsDefined()
    {
        const string yaml = """
            route:
              receiver: oncall:primary
            receivers:
              - name: oncall-slack
                slack_configs: [{channel: '#oncall', bot_token_file: /run/secrets/slack-bot-token}]
            global: {smtp_smarthost: 'mail.example.com:587', smtp_from: alertrelay@example.com}
            participants:
              - name: alice
                email: alice@example.com
                slack_user_id: U0ALICE01
              - {name: bob, email: bob@example.com}
              - {name: carol, email: carol@example.com}
              - {name: dave, slack_user_id: U0DAVE01}
            oncall_schedules:
              - name: primary
                timezone: Europe/Paris          # IANA name; handoffs are local times
                receiver: oncall-slack
                rotation:
                  start: 2026-01-05T09:00       # local time of the first handoff
                  length: 1w                    # Prometheus duration (1d, 12h, 1w, ...)
                  participants: [alice, bob, carol]
                overrides:
                  - participant: dave
                    from: 2026-03-28T18:00      # local
                    to: 2026-03-30T09:00
            """;

        var schedule = Assert.Single(RelayConfigLoader.LoadFromYaml(yaml, File).Schedules);

        Assert.Equal("dave", schedule.ShiftAt(DateTimeOffset.Parse("2026-03-29T01:30:00Z")).Participant);
        Assert.Equal("alice", schedule.ShiftAt(DateTimeOffset.Parse("2026-01-05T08:00:00Z")).Participant);
    }

    [Theory]
    [InlineData("README.md")]
    [InlineData("docs/oncall/schedules.md")]
    public void DocumentedSnippet_Loads_AndPutsDaveOnCall_ForTheIssueExample(string document)
    {
        var text = System.IO.File.ReadAllText(Path.Combine(RepositoryFiles.Root, document));
        var yaml = Regex.Match(text, "```yaml\n(participants:.*?)```", RegexOptions.Singleline);
        Assert.True(yaml.Success, $"{document} has no ```yaml block starting with participants:");
        const string route = "route:\n  receiver: oncall:primary\nreceivers:\n  - name: oncall-slack\n" +
            "    slack_configs: [{channel: '#oncall', bot_token_file: /run/secrets/slack-bot-token}]\n" +
            "    email_configs: [{to: oncall@example.com, from: alertrelay@example.com, smarthost: 'mail.example.com:587'}]\n";

        var config = RelayConfigLoader.LoadFromYaml(route + yaml.Groups[1].Value, document);

        var schedule = Assert.Single(config.Schedules);
        Assert.Equal("dave", schedule.ShiftAt(DateTimeOffset.Parse("2026-03-29T01:30:00Z")).Participant);
        Assert.Equal("alice", schedule.ShiftAt(DateTimeOffset.Parse("2026-03-30T07:00:00Z")).Participant);
    }
}
