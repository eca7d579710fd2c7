using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AlertRelay.Testing;

/// <summary>A loopback Slack (Web API chat.postMessage/chat.update and an incoming webhook) that records requests, keeps messages and fails on demand.</summary>
/// <remarks>
/// Kestrel on 127.0.0.1 (port chosen at start, kept across <see cref="GoDownAsync"/>/<see cref="ComeBackAsync"/>). The Web
/// API checks <c>Authorization: Bearer</c> (<c>not_authed</c>/<c>invalid_auth</c>), answers Slack's <c>{"ok": ...}</c> JSON
/// with channel <see cref="ChannelId"/> (for a message to a user id, their direct message channel: <see cref="DirectChannelId"/>)
/// and increasing ts, and rejects what Slack rejects: no content (<c>no_text</c>),
/// Block Kit over its limits (<c>invalid_blocks</c>, details in <c>response_metadata.messages</c>), an unknown ts
/// (<c>message_not_found</c>) or a <c>#name</c> in chat.update (<c>channel_not_found</c>), an unknown thread
/// (<c>thread_not_found</c>). The webhook answers "ok", or a 4xx with the error code as text.
/// </remarks>
public sealed class SlackStub : IAsyncDisposable, IDisposable
{
    public const string DefaultToken = "xoxb-test-token";
    public const string ChannelId = "C0123";
    public const string WebhookPath = "/services/T000/B000/XXXX";
    public const string PostMessagePath = "/api/chat.postMessage";
    public const string UpdatePath = "/api/chat.update";

    /// <summary>Where interaction response_urls point (Slack's are https://hooks.slack.com/actions/T.../.../...).</summary>
    public const string ResponseUrlPrefix = "/actions/";

    private const long FirstTsMicros = 1_732_560_000_000_100;

    private readonly object _gate = new();
    private readonly List<SlackStubRequest> _requests = [];
    private readonly List<Stored> _messages = [];
    private readonly List<Fault> _faults = [];
    private Fault? _outage;
    private CancellationTokenSource _outageEnded = new();
    private long _tsMicros = FirstTsMicros;
    private int _openConnections;
    private WebApplication? _app;

    private SlackStub(string token) => Token = token;

    /// <summary>The bot token the Web API accepts.</summary>
    public string Token { get; }

    public int Port { get; private set; }

    /// <summary>The Web API base URL, e.g. http://127.0.0.1:40123/api/ (what <c>api_base_url</c> takes).</summary>
    public string BaseUrl => $"http://127.0.0.1:{Port}/api/";

    /// <summary>The incoming-webhook URL (what <c>api_url</c> takes).</summary>
    public string WebhookUrl => $"http://127.0.0.1:{Port}{WebhookPath}";

    public bool IsDown => _app is null;

    /// <summary>A response_url for an interaction payload: what is posted to it is recorded and answered <c>{"ok":true}</c>, as Slack does.</summary>
    public string ResponseUrl(string name = "T000/1/respond") => $"http://127.0.0.1:{Port}{ResponseUrlPrefix}{name}";

    /// <summary>The requests to response_urls (ephemeral answers), in order.</summary>
    public IReadOnlyList<SlackStubRequest> Responses => [.. Requests.Where(r => r.Path.StartsWith(ResponseUrlPrefix, StringComparison.Ordinal))];

    /// <summary>
    /// Connections open to the stub. 0 after a client process is killed means every request it had sent is handled (or
    /// dropped): the kernel closed its sockets, and Kestrel ends a connection once it has read what came before the close.
    /// </summary>
    public int OpenConnections => Volatile.Read(ref _openConnections);

    /// <summary>Every request received so far, in order (including failed and faulted ones).</summary>
    public IReadOnlyList<SlackStubRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Every message (top-level and replies) by ts, in posting order, with updates applied.</summary>
    public IReadOnlyDictionary<string, SlackStubMessage> Messages
    {
        get
        {
            lock (_gate)
            {
                var result = new Dictionary<string, SlackStubMessage>(StringComparer.Ordinal);
                foreach (var message in _messages)
                {
                    result[message.Ts] = Snapshot(message);
                }

                return result;
            }
        }
    }

    /// <summary>The top-level messages (no thread replies), in posting order.</summary>
    public IReadOnlyList<SlackStubMessage> TopLevelMessages => [.. Messages.Values.Where(m => m.ThreadTs is null)];

    public static async Task<SlackStub> StartAsync(string token = DefaultToken)
    {
        var stub = new SlackStub(token);
        await stub.ListenAsync(0);
        return stub;
    }

    /// <summary>
    /// The next <paramref name="count"/> requests (to <paramref name="path"/> only, when given, e.g. <see cref="UpdatePath"/>)
    /// get <paramref name="status"/> (500 by default) with a plain-text body.
    /// </summary>
    public void FailNext(int count = 1, HttpStatusCode status = HttpStatusCode.InternalServerError, string? path = null) =>
        Enqueue(count, new Fault(path, Status: status));

    /// <summary>The next <paramref name="count"/> requests get 429 with <c>Retry-After</c> and Slack's <c>ratelimited</c> error.</summary>
    public void RateLimitNext(int count = 1, int retryAfterSeconds = 1, string? path = null) =>
        Enqueue(count, new Fault(path, Status: HttpStatusCode.TooManyRequests, RetryAfterSeconds: retryAfterSeconds, Error: "ratelimited"));

    /// <summary>
    /// The next <paramref name="count"/> requests fail with Slack error <paramref name="error"/>: Web API calls get HTTP 200
    /// <c>{"ok": false, "error": ...}</c> (as Slack answers), the webhook a 4xx with the code as its text body.
    /// </summary>
    public void ErrorNext(string error, int count = 1, string? path = null) => Enqueue(count, new Fault(path, Error: error));

    /// <summary>The next <paramref name="count"/> requests are answered normally, but only after <paramref name="delay"/> (for client timeouts).</summary>
    public void DelayNext(TimeSpan delay, int count = 1, string? path = null) => Enqueue(count, new Fault(path, Delay: delay));

    /// <summary>From now until <see cref="EndOutage"/>, every request gets <paramref name="status"/> (500 by default) with a plain-text body.</summary>
    public void FailAll(HttpStatusCode status = HttpStatusCode.InternalServerError) => BeginOutage(new Fault(null, Status: status));

    /// <summary>From now until <see cref="EndOutage"/>, every request gets 429 with <c>Retry-After</c> and Slack's <c>ratelimited</c> error.</summary>
    public void RateLimitAll(int retryAfterSeconds = 1) =>
        BeginOutage(new Fault(null, Status: HttpStatusCode.TooManyRequests, RetryAfterSeconds: retryAfterSeconds, Error: "ratelimited"));

    /// <summary>
    /// From now until <see cref="EndOutage"/>, requests are read and never answered (Slack unreachable, a black hole): the client
    /// times out. When the outage ends, requests still hanging are aborted, never processed, so nothing they carried is posted.
    /// </summary>
    public void HangAll() => BeginOutage(new Fault(null, Hang: true));

    /// <summary>Ends <see cref="FailAll"/>, <see cref="RateLimitAll"/> or <see cref="HangAll"/>: requests are answered normally again.</summary>
    public void EndOutage()
    {
        CancellationTokenSource ended;
        lock (_gate)
        {
            _outage = null;
            ended = _outageEnded;
            _outageEnded = new CancellationTokenSource();
        }

        ended.Cancel(); // not disposed: a request may still be linking to its token
    }

    /// <summary>Stops listening: connections to <see cref="Port"/> are refused until <see cref="ComeBackAsync"/>. Messages and requests are kept.</summary>
    public async Task GoDownAsync()
    {
        var app = _app;
        _app = null;
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>Listens again on the same port.</summary>
    public Task ComeBackAsync() => _app is null ? ListenAsync(Port) : Task.CompletedTask;

    public ValueTask DisposeAsync() => new(GoDownAsync());

    public void Dispose() => GoDownAsync().GetAwaiter().GetResult();

    private void BeginOutage(Fault fault)
    {
        lock (_gate)
        {
            _outage = fault;
        }
    }

    private void Enqueue(int count, Fault fault)
    {
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                _faults.Add(fault);
            }
        }
    }

    private async Task ListenAsync(int port)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(options => options.Listen(IPAddress.Loopback, port, listen => listen.Use(next => async connection =>
        {
            Interlocked.Increment(ref _openConnections);
            try
            {
                await next(connection);
            }
            finally
            {
                Interlocked.Decrement(ref _openConnections);
            }
        })));
        var app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Port = new Uri(address).Port;
        _app = app;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var arrivedAt = Stopwatch.GetTimestamp();
        var body = await new StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync(context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var request = new SlackStubRequest(context.Request.Method, context.Request.Path.Value ?? "", headers, body, TryParse(body))
        {
            ReceivedAt = DateTimeOffset.UtcNow,
            ArrivedAt = arrivedAt,
        };
        var isWebhook = request.Path == WebhookPath;
        Fault? fault;
        CancellationToken outageEnded;
        lock (_gate)
        {
            _requests.Add(request);
            fault = _faults.FirstOrDefault(f => f.Path is null || f.Path == request.Path);
            if (fault is not null)
            {
                _faults.Remove(fault);
            }

            fault ??= _outage;
            outageEnded = _outageEnded.Token;
        }

        if (fault?.Hang == true)
        {
            using var either = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, outageEnded);
            try
            {
                await Task.Delay(Timeout.Infinite, either.Token);
            }
            catch (OperationCanceledException)
            {
            }

            context.Abort(); // never answered, never posted
            return;
        }

        if (fault?.Delay is { } delay)
        {
            try
            {
                await Task.Delay(delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return; // The client gave up (its timeout): nobody is listening for the answer.
            }
        }
        else if (fault is not null)
        {
            await WriteFaultAsync(context, fault, isWebhook);
            return;
        }

        if (request.Method != "POST")
        {
            await WriteTextAsync(context, HttpStatusCode.MethodNotAllowed, "method_not_allowed");
            return;
        }

        if (isWebhook)
        {
            await HandleWebhookAsync(context, request);
            return;
        }

        if (request.Path.StartsWith(ResponseUrlPrefix, StringComparison.Ordinal))
        {
            await (request.Json is JsonObject
                ? WriteJsonAsync(context, new JsonObject { ["ok"] = true })
                : WriteTextAsync(context, HttpStatusCode.BadRequest, "invalid_payload"));
            return;
        }

        if (!request.Path.StartsWith("/api/", StringComparison.Ordinal))
        {
            await WriteTextAsync(context, HttpStatusCode.NotFound, "not_found");
            return;
        }

        var auth = request.Authorization;
        if (string.IsNullOrEmpty(auth))
        {
            await WriteJsonAsync(context, Error("not_authed"));
            return;
        }

        if (auth != $"Bearer {Token}")
        {
            await WriteJsonAsync(context, Error("invalid_auth"));
            return;
        }

        if (request.Json is not JsonObject json)
        {
            await WriteJsonAsync(context, Error("invalid_json"));
            return;
        }

        var answer = request.Path switch
        {
            "/api/chat.postMessage" => PostMessage(json),
            "/api/chat.update" => Update(json),
            _ => Error("unknown_method"),
        };
        await WriteJsonAsync(context, answer);
    }

    private JsonObject PostMessage(JsonObject json)
    {
        var channel = String(json, "channel");
        if (string.IsNullOrEmpty(channel))
        {
            return Error("channel_not_found");
        }

        if (Validate(json) is { } invalid)
        {
            return invalid;
        }

        var threadTs = String(json, "thread_ts");
        Stored stored;
        lock (_gate)
        {
            if (threadTs is not null && !_messages.Any(m => m.Ts == threadTs && m.ThreadTs is null))
            {
                return Error("thread_not_found");
            }

            // As Slack: a message to a user id (U…, W…) goes to the direct message channel with them, whose id (D…) it answers with.
            var answered = channel[0] switch { 'U' or 'W' => DirectChannelId(channel), 'D' => channel, _ => ChannelId };
            stored = new Stored(NextTs(), answered, String(json, "text") ?? "", Clone(json["blocks"]), Clone(json["attachments"]), threadTs, false);
            _messages.Add(stored);
        }

        return new JsonObject
        {
            ["ok"] = true,
            ["channel"] = stored.Channel,
            ["ts"] = stored.Ts,
            ["message"] = MessageJson(stored),
        };
    }

    private JsonObject Update(JsonObject json)
    {
        var channel = String(json, "channel");
        var ts = String(json, "ts");
        if (string.IsNullOrEmpty(channel) || (channel != ChannelId && channel[0] != 'D'))
        {
            // chat.update takes a channel id (a direct message's D… included), never a #name or a user id.
            return Error("channel_not_found");
        }

        if (Validate(json) is { } invalid)
        {
            return invalid;
        }

        lock (_gate)
        {
            var stored = _messages.FirstOrDefault(m => m.Ts == ts && m.Channel == channel);
            if (stored is null)
            {
                return Error("message_not_found");
            }

            if (stored.ViaWebhook)
            {
                return Error("cant_update_message");
            }

            stored.Text = String(json, "text") ?? stored.Text;
            stored.Blocks = json.ContainsKey("blocks") ? Clone(json["blocks"]) : stored.Blocks;
            // As Slack: without an attachments member the old attachments stay.
            stored.Attachments = json.ContainsKey("attachments") ? Clone(json["attachments"]) : stored.Attachments;
            stored.UpdateCount++;
            return new JsonObject
            {
                ["ok"] = true,
                ["channel"] = stored.Channel,
                ["ts"] = stored.Ts,
                ["text"] = stored.Text,
                ["message"] = MessageJson(stored),
            };
        }
    }

    private async Task HandleWebhookAsync(HttpContext context, SlackStubRequest request)
    {
        if (request.Json is not JsonObject json)
        {
            await WriteTextAsync(context, HttpStatusCode.BadRequest, "invalid_payload");
            return;
        }

        if (Validate(json) is { } invalid)
        {
            await WriteTextAsync(context, HttpStatusCode.BadRequest, invalid["error"]!.GetValue<string>());
            return;
        }

        lock (_gate)
        {
            _messages.Add(new Stored(NextTs(), String(json, "channel") ?? ChannelId, String(json, "text") ?? "", Clone(json["blocks"]), Clone(json["attachments"]), null, true));
        }

        await WriteTextAsync(context, HttpStatusCode.OK, "ok");
    }

    /// <summary>Slack's checks on a message body: some content, text length, and the Block Kit limits (50 blocks, 3000-char sections...).</summary>
    private static JsonObject? Validate(JsonObject json)
    {
        var text = String(json, "text") ?? "";
        var blocks = json["blocks"] as JsonArray;
        var attachments = json["attachments"] as JsonArray;
        if (text.Length == 0 && (blocks?.Count ?? 0) == 0 && (attachments?.Count ?? 0) == 0)
        {
            return Error("no_text");
        }

        if (text.Length > 40_000)
        {
            return Error("msg_too_long");
        }

        var problems = new List<string>();
        var allBlocks = (blocks ?? []).Concat((attachments ?? []).SelectMany(a => a?["blocks"] as JsonArray ?? [])).ToList();
        if (allBlocks.Count > 50)
        {
            problems.Add($"{allBlocks.Count} blocks: no more than 50 items allowed");
        }

        var actionIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var block in allBlocks)
        {
            ValidateBlock(block as JsonObject, problems, actionIds);
        }

        if (problems.Count == 0)
        {
            return null;
        }

        var error = Error("invalid_blocks");
        error["response_metadata"] = new JsonObject { ["messages"] = new JsonArray([.. problems.Select(p => (JsonNode)p)]) };
        return error;
    }

    private static void ValidateBlock(JsonObject? block, List<string> problems, HashSet<string> actionIds)
    {
        var type = block is null ? null : String(block, "type");
        switch (type)
        {
            case "header":
                TextObject(block!["text"], "header.text", 150, problems, plainOnly: true);
                break;
            case "section":
                var fields = block!["fields"] as JsonArray;
                if (block["text"] is null && fields is null)
                {
                    problems.Add("section: text or fields required");
                }

                if (block["text"] is not null)
                {
                    TextObject(block["text"], "section.text", 3000, problems);
                }

                if (fields is not null)
                {
                    if (fields.Count is 0 or > 10)
                    {
                        problems.Add($"section.fields: {fields.Count} items, 1 to 10 allowed");
                    }

                    foreach (var field in fields)
                    {
                        TextObject(field, "section.fields[]", 2000, problems);
                    }
                }

                break;
            case "context":
                var elements = block!["elements"] as JsonArray;
                if (elements is null || elements.Count is 0 or > 10)
                {
                    problems.Add($"context.elements: {elements?.Count ?? 0} items, 1 to 10 allowed");
                }

                foreach (var element in elements ?? [])
                {
                    TextObject(element, "context.elements[]", 3000, problems);
                }

                break;
            case "actions":
                var buttons = block!["elements"] as JsonArray;
                if (buttons is null || buttons.Count is 0 or > 25)
                {
                    problems.Add($"actions.elements: {buttons?.Count ?? 0} items, 1 to 25 allowed");
                }

                foreach (var button in buttons ?? [])
                {
                    if (button is JsonObject select && String(select, "type") == "static_select")
                    {
                        ValidateSelect(select, problems, actionIds);
                        continue;
                    }

                    TextObject(button?["text"], "button.text", 75, problems, plainOnly: true);
                    var url = button is JsonObject b ? String(b, "url") : null;
                    if (url is not null && (url.Length > 3000 || !Uri.TryCreate(url, UriKind.Absolute, out _)))
                    {
                        problems.Add($"button.url: invalid url {url}");
                    }

                    var actionId = button is JsonObject withId ? String(withId, "action_id") : null;
                    if (actionId is not null && !actionIds.Add(actionId))
                    {
                        problems.Add($"button.action_id: duplicate {actionId}");
                    }
                }

                break;
            case "divider":
                break;
            default:
                problems.Add($"unsupported block type {type ?? "(none)"}");
                break;
        }
    }

    /// <summary>A static_select in an actions block: a plain-text placeholder, 1 to 100 options with plain-text text and a value, a unique action_id.</summary>
    private static void ValidateSelect(JsonObject select, List<string> problems, HashSet<string> actionIds)
    {
        TextObject(select["placeholder"], "static_select.placeholder", 150, problems, plainOnly: true);
        var options = select["options"] as JsonArray;
        if (options is null || options.Count is 0 or > 100)
        {
            problems.Add($"static_select.options: {options?.Count ?? 0} items, 1 to 100 allowed");
        }

        foreach (var option in options ?? [])
        {
            TextObject(option?["text"], "option.text", 75, problems, plainOnly: true);
            var value = option is JsonObject withValue ? String(withValue, "value") : null;
            if (string.IsNullOrEmpty(value) || value.Length > 150)
            {
                problems.Add("option.value: 1 to 150 characters required");
            }
        }

        var actionId = String(select, "action_id");
        if (actionId is not null && !actionIds.Add(actionId))
        {
            problems.Add($"static_select.action_id: duplicate {actionId}");
        }
    }

    private static void TextObject(JsonNode? node, string where, int max, List<string> problems, bool plainOnly = false)
    {
        var type = node is JsonObject obj ? String(obj, "type") : null;
        var text = node is JsonObject withText ? String(withText, "text") : null;
        if (type is not ("plain_text" or "mrkdwn") || (plainOnly && type != "plain_text"))
        {
            problems.Add($"{where}: bad text object type {type ?? "(none)"}");
        }
        else if (string.IsNullOrEmpty(text))
        {
            problems.Add($"{where}: must be more than 0 characters");
        }
        else if (text.Length > max)
        {
            problems.Add($"{where}: {text.Length} characters, no more than {max} allowed");
        }
    }

    private static async Task WriteFaultAsync(HttpContext context, Fault fault, bool isWebhook)
    {
        if (fault.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers["Retry-After"] = seconds.ToString(CultureInfo.InvariantCulture);
        }

        if (fault.Status is { } status)
        {
            if (isWebhook || fault.Error is null)
            {
                await WriteTextAsync(context, status, fault.Error ?? "upstream_error");
            }
            else
            {
                await WriteJsonAsync(context, Error(fault.Error), status);
            }

            return;
        }

        if (isWebhook)
        {
            await WriteTextAsync(context, WebhookStatus(fault.Error!), fault.Error!);
        }
        else
        {
            await WriteJsonAsync(context, Error(fault.Error!));
        }
    }

    // Incoming webhooks answer errors with these statuses (Slack's "Handling errors" for webhooks).
    private static HttpStatusCode WebhookStatus(string error) => error switch
    {
        "invalid_token" or "action_prohibited" or "posting_to_general_channel_denied" or "team_disabled" => HttpStatusCode.Forbidden,
        "channel_not_found" or "no_service" or "no_service_id" or "no_team" or "user_not_found" => HttpStatusCode.NotFound,
        "channel_is_archived" => HttpStatusCode.Gone,
        "rollup_error" or "internal_error" => HttpStatusCode.InternalServerError,
        _ => HttpStatusCode.BadRequest,
    };

    private static async Task WriteJsonAsync(HttpContext context, JsonObject body, HttpStatusCode status = HttpStatusCode.OK)
    {
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body.ToJsonString());
    }

    private static async Task WriteTextAsync(HttpContext context, HttpStatusCode status, string text)
    {
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "text/html";
        await context.Response.WriteAsync(text);
    }

    private static JsonObject Error(string error) => new() { ["ok"] = false, ["error"] = error };

    /// <summary>The id of the direct message channel with a user, as this stub answers a message to their user id: D + the user id's rest.</summary>
    public static string DirectChannelId(string userId) => "D" + userId[1..];

    private string NextTs()
    {
        var micros = _tsMicros;
        _tsMicros += 100;
        return string.Create(CultureInfo.InvariantCulture, $"{micros / 1_000_000}.{micros % 1_000_000:D6}");
    }

    private static JsonObject MessageJson(Stored stored)
    {
        var json = new JsonObject
        {
            ["type"] = "message",
            ["bot_id"] = "B0123",
            ["text"] = stored.Text,
            ["ts"] = stored.Ts,
        };
        if (stored.Blocks is not null)
        {
            json["blocks"] = stored.Blocks.DeepClone();
        }

        if (stored.Attachments is not null)
        {
            json["attachments"] = stored.Attachments.DeepClone();
        }

        if (stored.ThreadTs is not null)
        {
            json["thread_ts"] = stored.ThreadTs;
        }

        return json;
    }

    private SlackStubMessage Snapshot(Stored stored) => new(
        stored.Ts,
        stored.Channel,
        stored.Text,
        stored.Blocks?.DeepClone() as JsonArray,
        stored.Attachments?.DeepClone() as JsonArray,
        stored.ThreadTs,
        stored.UpdateCount,
        stored.ViaWebhook,
        [.. _messages.Where(m => m.ThreadTs == stored.Ts).Select(Snapshot)]);

    private static JsonNode? TryParse(string body)
    {
        try
        {
            return body.Length == 0 ? null : JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonArray? Clone(JsonNode? node) => node?.DeepClone() as JsonArray;

    private static string? String(JsonObject json, string name) =>
        json[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private sealed class Stored(string ts, string channel, string text, JsonArray? blocks, JsonArray? attachments, string? threadTs, bool viaWebhook)
    {
        public string Ts { get; } = ts;

        public string Channel { get; } = channel;

        public string Text { get; set; } = text;

        public JsonArray? Blocks { get; set; } = blocks;

        public JsonArray? Attachments { get; set; } = attachments;

        public string? ThreadTs { get; } = threadTs;

        public bool ViaWebhook { get; } = viaWebhook;

        public int UpdateCount { get; set; }
    }

    private sealed record Fault(
        string? Path, HttpStatusCode? Status = null, int? RetryAfterSeconds = null, string? Error = null, TimeSpan? Delay = null, bool Hang = false);
}
