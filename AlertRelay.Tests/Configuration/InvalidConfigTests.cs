using AlertRelay.Core.Configuration;

namespace AlertRelay.Tests.Configuration;

/// <summary>
/// One bad configuration per file in TestData/config/invalid (as Alertmanager's config/testdata), each with the line,
/// path and message it must be reported with.
/// </summary>
public sealed class InvalidConfigTests
{
    /// <summary>A bad file and its expected error; <see cref="Message"/> is matched as a prefix (regex errors end with .NET's own text).</summary>
    public sealed record InvalidCase(string File, int Line, string Path, string Message, int ErrorCount = 1)
    {
        public override string ToString() => File;
    }

    private const string ParseMatcherPrefix = "Invalid label matcher ";

    private static readonly InvalidCase[] AllCases =
    [
        // YAML itself
        new("yaml-syntax-error.yml", 5, "", "invalid YAML: unexpected end of a flow collection"),
        new("yaml-bad-indentation.yml", 3, "", "While scanning a plain scalar value, found invalid mapping."),
        new("yaml-unclosed-quote.yml", 6, "", "While scanning a quoted scalar, found unexpected end of stream."),
        new("duplicate-key.yml", 3, "route.receiver", "duplicate key \"receiver\" (first set on line 2)"),
        new("top-level-list.yml", 1, "", "expected a mapping at the top level, got a list"),
        new("empty-file.yml", 1, "route", "no route provided in config (the file is empty)"),

        // unknown keys, at any level
        new("unknown-top-level-key.yml", 5, "recievers", "unknown field \"recievers\" (did you mean \"receivers\"?)"),
        new("unknown-route-key.yml", 5, "route.routes[0].recevier", "unknown field \"recevier\" (did you mean \"receiver\"?)"),
        new("unknown-global-key.yml", 3, "global.smtp_form", "unknown field \"smtp_form\" (did you mean \"smtp_from\"?)"),
        new("unsupported-integration.yml", 5, "receivers[0].opsgenie_configs",
            "unsupported receiver kind \"opsgenie_configs\": AlertRelay cannot deliver to it (supported: slack_configs, email_configs, webhook_configs, pagerduty_configs, msteamsv2_configs); "
            + "remove it, or set AlertRelay:Config:IgnoreUnsupportedReceivers=true to skip such blocks with a warning"),
        new("templates.yml", 5, "templates", "not supported by AlertRelay: Alertmanager's Go template files cannot be used: AlertRelay's templates are Liquid"),

        // wrong YAML types
        new("continue-not-boolean.yml", 5, "route.routes[0].continue", "expected a boolean (true or false), got \"maybe\""),
        new("routes-not-a-list.yml", 4, "route.routes", "expected a list, got a mapping"),
        new("receiver-name-not-a-string.yml", 5, "receivers[1].name", "expected a string, got a list"),
        new("max-alerts-negative.yml", 7, "receivers[0].webhook_configs[0].max_alerts", "expected a non-negative integer, got \"-1\""),

        // the root route
        new("no-route.yml", 1, "route", "no route provided in config"),
        new("root-without-receiver.yml", 2, "route.receiver", "root route must specify a default receiver"),
        new("root-matchers.yml", 3, "route.matchers", "root route must not have any matchers"),
        new("root-continue.yml", 3, "route.continue", "cannot have continue in root route"),
        new("root-mute-time-intervals.yml", 3, "route.mute_time_intervals", "root route must not have any mute time intervals"),

        // receivers
        new("undefined-receiver.yml", 7, "route.routes[1].receiver", "undefined receiver \"ops\""),
        new("duplicate-receiver.yml", 8, "receivers[2].name", "duplicate receiver name \"ops\" (first defined on line 4)"),
        new("receiver-without-name.yml", 5, "receivers[1]", "missing name in receiver"),
        new("slack-without-channel.yml", 6, "receivers[0].slack_configs[0]",
            "missing required field \"channel\" (Slack's Web API, used with a bot or app token, posts to a channel)"),
        new("slack-without-credentials.yml", 6, "receivers[0].slack_configs[0]", "no Slack API URL nor token set either inline or in a file"),
        new("email-without-smarthost.yml", 8, "receivers[0].email_configs[0]", "no global SMTP smarthost set"),
        new("webhook-payload.yml", 7, "receivers[0].webhook_configs[0].payload",
            "not supported by AlertRelay: custom payload templates are not supported; AlertRelay sends Alertmanager's webhook payload version 4"),

        // a null regex value is an invalid regexp, as in Alertmanager (config/testdata/conf.nil-*match_re*.yml), not an empty regex
        new("match-re-null.yml", 5, "route.routes[0].match_re.invalid_label", "invalid regexp value for \"invalid_label\""),
        new("source-match-re-null.yml", 7, "inhibit_rules[0].source_match_re.severity", "invalid regexp value for \"severity\""),
        new("email-without-to.yml", 6, "receivers[0].email_configs[0]", "missing required field \"to\""),
        new("webhook-without-url.yml", 6, "receivers[0].webhook_configs[0]", "one of url or url_file must be configured"),

        // webhook_configs: the URL, and the http_config AlertRelay cannot honour or Alertmanager refuses
        new("webhook-url-and-url-file.yml", 6, "receivers[0].webhook_configs[0]", "at most one of url & url_file must be configured"),
        new("webhook-url-bad-scheme.yml", 6, "receivers[0].webhook_configs[0].url", "unsupported scheme \"ftp\" for URL (http or https)"),
        new("webhook-url-relative.yml", 7, "receivers[0].webhook_configs[0].url", "invalid URL: not an absolute http or https URL"),
        new("webhook-http-config-proxy.yml", 8, "receivers[0].webhook_configs[0].http_config.proxy_url", "not supported by AlertRelay: proxies are not supported"),
        new("webhook-http-config-client-cert.yml", 8, "receivers[0].webhook_configs[0].http_config.tls_config", "not supported by AlertRelay: TLS settings"),
        new("webhook-http-config-oauth2.yml", 9, "receivers[0].webhook_configs[0].http_config.oauth2", "not supported by AlertRelay: OAuth 2 client credentials are not supported"),
        new("webhook-http-config-unknown-key.yml", 8, "receivers[0].webhook_configs[0].http_config.follow_redirect", "unknown field \"follow_redirect\" (did you mean \"follow_redirects\"?)"),
        new("webhook-authorization-type-basic.yml", 9, "receivers[0].webhook_configs[0].http_config.authorization.type", "authorization type cannot be set to \"basic\", use \"basic_auth\" instead"),
        new("webhook-credentials-and-file.yml", 10, "receivers[0].webhook_configs[0].http_config.authorization", "at most one of authorization credentials & credentials_file must be configured"),
        new("webhook-basic-auth-and-authorization.yml", 10, "receivers[0].webhook_configs[0].http_config", "at most one of basic_auth, oauth2 & authorization must be configured"),
        new("webhook-password-ref.yml", 10, "receivers[0].webhook_configs[0].http_config.basic_auth.password_ref", "not supported by AlertRelay: secret references"),

        // matchers and label names
        new("bad-matcher-syntax.yml", 4, "route.routes[0].matchers[1]", ParseMatcherPrefix + "`team`: bad matcher format"),
        new("bad-matcher-regex.yml", 5, "route.routes[0].matchers[0]", ParseMatcherPrefix + "`instance=~\"web-[\"`: invalid regular expression: "),
        new("bad-match-re.yml", 5, "route.routes[0].match_re.service", "invalid regular expression: "),
        new("invalid-match-label-name.yml", 5, "route.routes[0].match.team-name", "invalid label name \"team-name\""),
        new("invalid-group-by-label.yml", 3, "route.group_by[1]", "invalid label name \"cluster-name\" in group_by list"),
        new("invalid-equal-label.yml", 8, "inhibit_rules[0].equal[1]", "invalid label name \"instance-id\" in equal list"),
        new("inhibit-bad-source-matcher.yml", 6, "inhibit_rules[0].source_matchers[0]", ParseMatcherPrefix + "`severity=~\"(critical\"`: invalid regular expression: "),

        // durations
        new("bad-group-wait.yml", 3, "route.group_wait", "not a valid duration string: \"30sec\""),
        new("group-interval-zero.yml", 3, "route.group_interval", "group_interval cannot be zero"),
        new("bad-step-duration.yml", 8, "escalations[0].steps[0].after", "not a valid duration string: \"15 minutes\""),

        // escalations
        new("undefined-escalation-receiver.yml", 10, "escalations[0].steps[0].notify", "undefined receiver \"pager\""),
        new("duplicate-escalation.yml", 10, "escalations[1].name", "duplicate escalation name \"critical\" (first defined on line 6)"),
        new("escalation-without-name.yml", 6, "escalations[0]", "missing name in escalation"),
        new("empty-steps.yml", 8, "escalations[0].steps", "an escalation needs at least one step"),
        new("step-without-after.yml", 8, "escalations[0].steps[0]", "missing required field \"after\""),
        new("step-without-action.yml", 10, "escalations[0].steps[1]", "a step needs at least one of notify or set_severity"),
        new("steps-out-of-order.yml", 10, "escalations[0].steps[1].after",
            "steps must be in strictly increasing order of after: 15m is not after 30m (escalations[0].steps[0])"),

        // reminders (repeat on an escalation policy)
        new("repeat-empty.yml", 8, "escalations[0].repeat", "repeat needs at least one duration (or leave it out for no reminders)"),
        new("repeat-zero.yml", 10, "escalations[0].repeat[1]", "a repeat interval must be greater than 0, got 0s"),
        new("repeat-negative.yml", 8, "escalations[0].repeat[0]", "not a valid duration string: \"-5m\""),
        new("repeat-bad-duration.yml", 11, "escalations[0].repeat[1]", "not a valid duration string: \"30 minutes\""),
        new("repeat-not-a-list.yml", 8, "escalations[0].repeat", "expected a list, got \"15m\""),

        // everything at once
        new("many-errors.yml", 5, "route.routes[0].receiver", "undefined receiver \"ops\"", ErrorCount: 8),
    ];

    public static TheoryData<InvalidCase> Cases() => new(AllCases);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Load_ReportsLineAndMessage_WhenConfigIsInvalid(InvalidCase testCase)
    {
        var path = Path.Combine(RepositoryFiles.InvalidConfigDirectory, testCase.File);

        var exception = Assert.Throws<ConfigException>(() => RelayConfigLoader.Load(path));

        var errors = exception.Errors;
        Assert.Contains(errors, e => e.Line == testCase.Line && e.Path == testCase.Path && e.Message.StartsWith(testCase.Message, StringComparison.Ordinal));
        Assert.Equal(testCase.ErrorCount, errors.Count);
        Assert.All(errors, e => Assert.Equal(path, e.File));
    }

    [Fact]
    public void Cases_CoverEveryFile_InTheInvalidDirectory()
    {
        var files = Directory.EnumerateFiles(RepositoryFiles.InvalidConfigDirectory, "*.yml").Select(Path.GetFileName).Order(StringComparer.Ordinal);
        var cases = AllCases.Select(c => c.File).Order(StringComparer.Ordinal);

        Assert.Equal(files, cases);
    }

    [Fact]
    public void Load_ReportsEveryError_WhenFileHasMany()
    {
        var path = Path.Combine(RepositoryFiles.InvalidConfigDirectory, "many-errors.yml");

        var exception = Assert.Throws<ConfigException>(() => RelayConfigLoader.Load(path));

        string[] expected =
        [
            "5: route.routes[0].receiver: undefined receiver \"ops\"",
            "6: route.routes[0].contine: unknown field \"contine\" (did you mean \"continue\"?)",
            "7: route.routes[1].matchers[0]: Invalid label matcher `severity=~\"(critical\"`: invalid regular expression: ",
            "10: receivers[1].name: duplicate receiver name \"default\" (first defined on line 9)",
            "14: escalations[0].steps[0].after: not a valid duration string: \"soon\" (use a duration such as 30s, 15m or 1h30m)",
            "15: escalations[0].steps[0].notify: undefined receiver \"pager\"",
            "16: escalations[1].name: duplicate escalation name \"critical\" (first defined on line 12)",
            "17: escalations[1].steps: an escalation needs at least one step",
        ];
        Assert.Equal(expected.Length, exception.Errors.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.StartsWith(path + ":" + expected[i], exception.Errors[i].ToString(), StringComparison.Ordinal);
        }

        Assert.Contains("Invalid configuration (8 errors):", exception.Message, StringComparison.Ordinal);
    }
}
