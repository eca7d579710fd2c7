namespace AlertRelay.Core.Configuration;

/// <summary>What AlertRelay does with a field of Alertmanager's configuration.</summary>
public enum FieldHandling
{
    /// <summary>Read and acted on as Alertmanager does (or as documented in the note).</summary>
    Honoured,

    /// <summary>Accepted, and <c>config check</c>, start-up and reload warn that it is not acted on (the note says why).</summary>
    Ignored,

    /// <summary>A configuration error naming the field and the reason (the note).</summary>
    Refused,
}

/// <summary>One field Alertmanager (0.25 and later) accepts in a block, and what AlertRelay does with it.</summary>
public sealed record FieldSupport(string Block, string Field, FieldHandling Handling, string Note);

/// <summary>
/// Every field Alertmanager 0.25 and later (to 0.34, <c>config/config.go</c>, <c>config/notifiers.go</c>, prometheus/common's
/// <c>HTTPClientConfig</c>) accepts in the blocks AlertRelay reads, with what AlertRelay does with it: the reader takes its allowed
/// keys, its warnings and its refusals from here, and the README's field table is checked against it. A key not listed is unknown,
/// as in Alertmanager. AlertRelay's own additions (bot_token, api_base_url, the top-level escalations...) are not listed.
/// </summary>
public static class AlertmanagerFields
{
    /// <summary>The top level of the file.</summary>
    public const string TopLevel = "top level";

    public const string Global = "global";
    public const string Route = "route";
    public const string Receivers = "receivers";
    public const string InhibitRules = "inhibit_rules";
    public const string Slack = "slack_configs";
    public const string Email = "email_configs";
    public const string Webhook = "webhook_configs";
    public const string PagerDuty = "pagerduty_configs";
    public const string MsTeamsV2 = "msteamsv2_configs";
    public const string HttpConfig = "http_config";

    /// <summary>The receiver kinds AlertRelay delivers to.</summary>
    public static IReadOnlyList<string> SupportedIntegrations { get; } =
        ["slack_configs", "email_configs", "webhook_configs", "pagerduty_configs", "msteamsv2_configs"];

    /// <summary>The receiver kinds Alertmanager has (0.25 to 0.34) and AlertRelay cannot deliver to.</summary>
    public static IReadOnlyList<string> UnsupportedIntegrations { get; } =
    [
        "discord_configs", "incidentio_configs", "jira_configs", "mattermost_configs", "msteams_configs", "opsgenie_configs",
        "pushover_configs", "rocketchat_configs", "sns_configs", "telegram_configs", "victorops_configs", "webex_configs",
        "wechat_configs",
    ];

    /// <summary>The reason given for <c>templates:</c>, with a Go expression and its Liquid equivalent.</summary>
    public const string TemplatesReason =
        "Alertmanager's Go template files cannot be used: AlertRelay's templates are Liquid, written in the receiver's own fields "
        + "(slack_configs title/text, email_configs headers/html/text). Port each template you use there, e.g. Go "
        + "'{{ .CommonLabels.alertname }}: {{ .Alerts.Firing | len }} firing' becomes Liquid "
        + "'{{ common_labels.alertname }}: {{ firing_count }} firing'; then remove templates:";

    private const string Grouping =
        "Alertmanager groups, waits and repeats before it sends to AlertRelay; AlertRelay notifies each alert as it arrives "
        + "(as group_by: ['...']) and repeats through escalations and reminders (warned once per file)";

    private const string SlackLayout = "AlertRelay lays out its own Slack message (title, text, state colour and on-call buttons)";
    private const string SmtpAuth = "AlertRelay authenticates with auth_username and auth_password (PLAIN/LOGIN); CRAM-MD5 secrets and PLAIN identities are not used";
    private const string SmtpTls = "the SMTP server is verified against the system trust store; CA files, client certificates and insecure_skip_verify are not applied";
    private const string Proxy = "proxies are not supported; AlertRelay connects directly";

    /// <summary>Every field, block by block, in the order of the README's table.</summary>
    public static IReadOnlyList<FieldSupport> All { get; } =
    [
        .. Block(TopLevel, [
            H("global", "see global below"),
            H("route", "see route below"),
            H("receivers", "see receivers below"),
            H("inhibit_rules", "see inhibit_rules below"),
            H("time_intervals", "named intervals for a route's mute_time_intervals / active_time_intervals"),
            H("mute_time_intervals", "the older name of time_intervals"),
            R("templates", TemplatesReason),
            I("tracing", "AlertRelay does not export traces (Alertmanager 0.27 and later)"),
            I("event_recorder", "AlertRelay records its own timeline of events (Alertmanager 0.32 and later)")]),
        .. Block(Global, [
            I("resolve_timeout", "Alertmanager applies it before it sends; AlertRelay takes the status and endsAt that Alertmanager sends"),
            H("http_config", "the http_config of webhook_configs entries that set none, as in Alertmanager"),
            H("smtp_from", "default from of email_configs"),
            H("smtp_hello", "default hello of email_configs"),
            H("smtp_smarthost", "default smarthost of email_configs"),
            H("smtp_auth_username", "default auth_username of email_configs"),
            H("smtp_auth_password", "default auth_password of email_configs"),
            H("smtp_auth_password_file", "default auth_password_file of email_configs"),
            I("smtp_auth_secret", SmtpAuth),
            I("smtp_auth_secret_file", SmtpAuth),
            I("smtp_auth_identity", SmtpAuth),
            H("smtp_require_tls", "default require_tls of email_configs"),
            I("smtp_tls_config", SmtpTls),
            I("smtp_force_implicit_tls", "TLS is implicit on port 465 and STARTTLS otherwise, as in Alertmanager 0.25"),
            H("slack_api_url", "default api_url of slack_configs"),
            H("slack_api_url_file", "default api_url_file of slack_configs"),
            H("slack_app_token", "default app_token of slack_configs"),
            H("slack_app_token_file", "default app_token_file of slack_configs"),
            H("slack_app_url", "default app_url of slack_configs"),
            H("pagerduty_url", "the default url of pagerduty_configs entries"),
            .. Unused("opsgenie_configs", "opsgenie_api_url", "opsgenie_api_key", "opsgenie_api_key_file"),
            .. Unused("wechat_configs", "wechat_api_url", "wechat_api_secret", "wechat_api_secret_file", "wechat_api_corp_id"),
            .. Unused("victorops_configs", "victorops_api_url", "victorops_api_key", "victorops_api_key_file"),
            .. Unused("telegram_configs", "telegram_api_url", "telegram_bot_token", "telegram_bot_token_file"),
            .. Unused("webex_configs", "webex_api_url"),
            .. Unused("jira_configs", "jira_api_url"),
            .. Unused("rocketchat_configs", "rocketchat_api_url", "rocketchat_token", "rocketchat_token_file", "rocketchat_token_id",
                "rocketchat_token_id_file"),
            .. Unused("mattermost_configs", "mattermost_webhook_url", "mattermost_webhook_url_file")]),
        .. Block(Route, [
            H("receiver", "inherited by child routes"),
            H("continue", "depth-first, as Alertmanager's dispatch/route.go"),
            H("matchers", "Alertmanager's matcher syntax"),
            H("match", "deprecated equality matchers"),
            H("match_re", "deprecated regex matchers (anchored; a null value is an invalid regexp)"),
            H("routes", "child routes"),
            H("mute_time_intervals", "names from time_intervals"),
            H("active_time_intervals", "names from time_intervals"),
            I("group_by", Grouping),
            I("group_wait", Grouping),
            I("group_interval", Grouping),
            I("repeat_interval", Grouping),
            I("labels", "route labels (Alertmanager 0.32 and later) are not added to alerts")]),
        .. Block(Receivers, [
            H("name", "unique; routes and escalations name it"),
            H("slack_configs", "see slack_configs below"),
            H("email_configs", "see email_configs below"),
            H("webhook_configs", "see webhook_configs below"),
            H("pagerduty_configs", "PagerDuty Events API v2"),
            H("msteamsv2_configs", "Teams Workflows webhook"),
            I("labels", "receiver labels (Alertmanager 0.32 and later) are for Alertmanager's API; AlertRelay does not show them"),
            .. UnsupportedIntegrations.Select(kind => R(kind,
                "AlertRelay cannot deliver to it; with AlertRelay:Config:IgnoreUnsupportedReceivers=true the block is skipped with a warning"))]),
        .. Block(InhibitRules, [
            H("source_matchers", "Alertmanager's matcher syntax"),
            H("target_matchers", "Alertmanager's matcher syntax"),
            H("equal", "label names equal in source and target (a label missing from both is equal)"),
            H("source_match", "deprecated"),
            H("source_match_re", "deprecated (a null value is an invalid regexp)"),
            H("target_match", "deprecated"),
            H("target_match_re", "deprecated (a null value is an invalid regexp)"),
            H("name", "names the rule in inhibited events (default inhibit_rules[i])")]),
        .. Block(Slack, [
            H("api_url", "incoming webhook: every notification is a new message"),
            H("api_url_file", "incoming webhook URL in a file"),
            H("app_token", "Slack's Web API (as bot_token): resolves update the message and reply in its thread"),
            H("app_token_file", "Web API token in a file (as bot_token_file)"),
            H("app_url", "Web API base: app_url without its chat.postMessage method (as api_base_url); another URL is ignored with a warning"),
            H("channel", "required with app_token/bot_token (the Web API posts to a channel); optional with an incoming webhook"),
            H("send_resolved", "default false"),
            H("title", "a Liquid template (Go templates are refused by the Liquid parser)"),
            H("text", "a Liquid template"),
            I("username", SlackLayout),
            I("color", SlackLayout),
            I("title_link", SlackLayout),
            I("pretext", SlackLayout),
            I("message_text", SlackLayout),
            I("fields", SlackLayout),
            I("short_fields", SlackLayout),
            I("footer", SlackLayout),
            I("fallback", SlackLayout),
            I("callback_id", SlackLayout),
            I("icon_emoji", SlackLayout),
            I("icon_url", SlackLayout),
            I("image_url", SlackLayout),
            I("thumb_url", SlackLayout),
            I("link_names", SlackLayout),
            I("mrkdwn_in", SlackLayout),
            I("actions", "AlertRelay adds its own on-call buttons (acknowledge, silence) when a signing secret is set"),
            I("update_message", "AlertRelay updates Web API messages on resolve and on-call actions by itself"),
            I("timeout", "the timeout is the setting AlertRelay:Notify:SlackTimeoutSeconds"),
            I("http_config", "AlertRelay reaches Slack directly with its own HTTP client; only authorization credentials are honoured, as the Web API token (Alertmanager's bot-token form); with nothing else set, no warning")]),
        .. Block(Email, [
            H("to", "required"),
            H("from", "or global smtp_from"),
            H("hello", "or global smtp_hello (default localhost)"),
            H("smarthost", "or global smtp_smarthost"),
            H("auth_username", "or global smtp_auth_username"),
            H("auth_password", "or global smtp_auth_password"),
            H("auth_password_file", "or global smtp_auth_password_file"),
            H("require_tls", "or global smtp_require_tls (default true)"),
            H("headers", "values are Liquid templates; Subject replaces the default subject"),
            H("html", "a Liquid template"),
            H("text", "a Liquid template"),
            H("send_resolved", "default false"),
            I("auth_secret", SmtpAuth),
            I("auth_secret_file", SmtpAuth),
            I("auth_identity", SmtpAuth),
            I("tls_config", SmtpTls),
            I("force_implicit_tls", "TLS is implicit on port 465 and STARTTLS otherwise, as in Alertmanager 0.25"),
            I("threading", "AlertRelay threads an alert's mails by itself (In-Reply-To the first mail)")]),
        .. Block(Webhook, [
            H("url", "http or https"),
            H("url_file", "read at each send"),
            H("send_resolved", "default true"),
            H("http_config", "see http_config below"),
            H("max_alerts", "0 = all; the rest is counted in truncatedAlerts"),
            I("timeout", "the timeout is the setting AlertRelay:Notify:WebhookTimeoutSeconds"),
            R("payload", "custom payload templates are not supported; AlertRelay sends Alertmanager's webhook payload version 4")]),
        .. Block(PagerDuty, [
            H("routing_key", "Events API v2 integration key (secret); this or routing_key_file"),
            H("routing_key_file", "read at each send"),
            H("url", "or global pagerduty_url; default https://events.pagerduty.com/v2/enqueue"),
            H("client", "a Liquid template (default AlertRelay)"),
            H("client_url", "a Liquid template (default the Alertmanager external URL)"),
            H("description", "the event summary; a Liquid template"),
            H("details", "custom_details; values are Liquid templates"),
            H("images", "src, href, alt (Liquid templates)"),
            H("links", "href, text (Liquid templates)"),
            H("source", "a Liquid template"),
            H("severity", "critical, error, warning or info (a Liquid template; anything else is sent as error)"),
            H("class", "a Liquid template"),
            H("component", "a Liquid template"),
            H("group", "a Liquid template"),
            H("timeout", "or AlertRelay:Notify:PagerDutyTimeoutSeconds"),
            H("http_config", "or global http_config; see http_config below"),
            H("send_resolved", "default true; acknowledgements in AlertRelay are sent as acknowledge events"),
            R("service_key", "Events API v1 (deprecated by PagerDuty); AlertRelay speaks Events API v2: use routing_key"),
            R("service_key_file", "Events API v1; use routing_key_file")]),
        .. Block(MsTeamsV2, [
            H("webhook_url", "the Workflows webhook URL (secret: it carries its signature); this or webhook_url_file"),
            H("webhook_url_file", "read at each send"),
            H("title", "a Liquid template"),
            H("text", "a Liquid template"),
            H("http_config", "or global http_config; see http_config below"),
            H("send_resolved", "default true; a resolve is a new card (Workflows webhooks cannot edit)")]),
        .. Block(HttpConfig, [
            H("authorization", "type (default Bearer) with credentials or credentials_file; credentials_ref is refused"),
            H("basic_auth", "username(_file), password(_file); *_ref is refused"),
            H("bearer_token", "deprecated form of authorization"),
            H("bearer_token_file", "deprecated form of authorization"),
            H("follow_redirects", "default true"),
            I("enable_http2", "AlertRelay speaks HTTP/1.1 to webhooks (warned only when true)"),
            R("oauth2", "OAuth 2 client credentials are not supported; use authorization or basic_auth"),
            R("proxy_url", Proxy),
            R("no_proxy", Proxy),
            R("proxy_from_environment", Proxy + " (false is accepted)"),
            R("proxy_connect_header", Proxy),
            R("tls_config", "TLS settings (CA, client certificates, server_name, insecure_skip_verify) are not supported; AlertRelay verifies "
                + "the server against the system's trust store (an empty tls_config or insecure_skip_verify: false is accepted with a warning)"),
            R("http_headers", "custom HTTP headers are not supported")]),
    ];

    /// <summary>The fields of <paramref name="block"/>, in table order.</summary>
    public static IReadOnlyList<FieldSupport> Of(string block) => All.Where(f => f.Block == block).ToArray();

    /// <summary>The keys a block accepts (honoured, ignored or refused by name): anything else is unknown.</summary>
    public static string[] Keys(string block) => All.Where(f => f.Block == block).Select(f => f.Field).ToArray();

    /// <summary>The ignored fields of <paramref name="block"/> with the reason, for <c>ConfigReader.WarnIgnored</c>.</summary>
    public static IReadOnlyDictionary<string, string> Ignored(string block) => With(block, FieldHandling.Ignored);

    /// <summary>The refused fields of <paramref name="block"/> with the reason.</summary>
    public static IReadOnlyDictionary<string, string> Refused(string block) => With(block, FieldHandling.Refused);

    private static Dictionary<string, string> With(string block, FieldHandling handling) =>
        All.Where(f => f.Block == block && f.Handling == handling).ToDictionary(f => f.Field, f => f.Note, StringComparer.Ordinal);

    private static IEnumerable<FieldSupport> Block(string block, (string Field, FieldHandling Handling, string Note)[] fields) =>
        fields.Select(f => new FieldSupport(block, f.Field, f.Handling, f.Note));

    private static (string, FieldHandling, string) H(string field, string note) => (field, FieldHandling.Honoured, note);

    private static (string, FieldHandling, string) I(string field, string note) => (field, FieldHandling.Ignored, note);

    private static (string, FieldHandling, string) R(string field, string note) => (field, FieldHandling.Refused, note);

    private static IEnumerable<(string, FieldHandling, string)> Unused(string kind, params string[] fields) =>
        fields.Select(f => I(f, $"only used by {kind}, which AlertRelay does not support"));
}
