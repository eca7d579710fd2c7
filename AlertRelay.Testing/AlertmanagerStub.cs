using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AlertRelay.Testing;

/// <summary>
/// A loopback Alertmanager that speaks the silence part of API v2 as 0.25 does: <c>POST /api/v2/silences</c> (required fields,
/// endsAt after startsAt and not past, 400 with a JSON string otherwise; 200 <c>{"silenceID"}</c>), <c>GET /api/v2/silence/{id}</c>
/// (the gettable silence with <c>status.state</c>, 404 with no body when unknown), <c>DELETE /api/v2/silence/{id}</c> (expires it,
/// 200; an unknown id is a 500 with <c>"silence not found"</c>, as 0.25 answers); a path id that is not a UUID is a 422.
/// States follow <see cref="Time"/> (a fake clock in fake-clock tests). Failures on demand; every request is recorded.
/// </summary>
public sealed class AlertmanagerStub : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<string, AlertmanagerStubSilence> _silences = [];
    private readonly List<(string Method, string Path, string Body)> _requests = [];
    private WebApplication? _app;
    private int? _failWith;
    private TaskCompletionSource? _createGate;

    private AlertmanagerStub(TimeProvider time) => Time = time;

    public TimeProvider Time { get; }

    public string Url { get; private set; } = "";

    /// <summary>Every request so far: method, path, body.</summary>
    public IReadOnlyList<(string Method, string Path, string Body)> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    public IReadOnlyList<AlertmanagerStubSilence> Silences
    {
        get
        {
            lock (_gate)
            {
                return [.. _silences.Values];
            }
        }
    }

    public static async Task<AlertmanagerStub> StartAsync(TimeProvider? time = null)
    {
        var stub = new AlertmanagerStub(time ?? TimeProvider.System);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(options => options.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(stub.HandleAsync);
        await app.StartAsync();
        stub.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
        stub._app = app;
        return stub;
    }

    /// <summary>Until <see cref="Recover"/>, every request gets <paramref name="status"/> with a JSON string body (as 0.25's 500s).</summary>
    public void FailAll(int status = 503) => _failWith = status;

    public void Recover() => _failWith = null;

    /// <summary>Silence creations wait (after being recorded as requests) until <see cref="ReleaseCreates"/>.</summary>
    public void HoldCreates() => _createGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void ReleaseCreates() => _createGate?.TrySetResult();

    /// <summary>What Alertmanager's "Expire" button does: the silence ends now.</summary>
    public void ExpireNow(string id)
    {
        lock (_gate)
        {
            _silences[id] = Expired(_silences[id], Time.GetUtcNow());
        }
    }

    /// <summary>Forgets a silence (as Alertmanager does after its retention, or a wiped data directory): 404 from then on.</summary>
    public void Forget(string id)
    {
        lock (_gate)
        {
            _silences.Remove(id);
        }
    }

    public async ValueTask DisposeAsync()
    {
        ReleaseCreates();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var body = await new StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync(context.RequestAborted);
        var path = context.Request.Path.Value ?? "";
        var method = context.Request.Method;
        lock (_gate)
        {
            _requests.Add((method, path, body));
        }

        if (_failWith is { } failure)
        {
            await JsonAsync(context, failure, JsonValue.Create("stub: failing on demand"));
            return;
        }

        if (path == "/api/v2/silences" && method == "POST")
        {
            if (_createGate is { } gate)
            {
                await gate.Task.WaitAsync(context.RequestAborted);
            }

            await CreateAsync(context, body);
            return;
        }

        const string one = "/api/v2/silence/";
        if (!path.StartsWith(one, StringComparison.Ordinal) || method is not ("GET" or "DELETE"))
        {
            context.Response.StatusCode = 404;
            return;
        }

        var id = Uri.UnescapeDataString(path[one.Length..]);
        if (!Guid.TryParse(id, out _))
        {
            await JsonAsync(context, 422, new JsonObject { ["code"] = 605, ["message"] = $"silenceID in path must be of type uuid: \"{id}\"" });
            return;
        }

        AlertmanagerStubSilence? silence;
        lock (_gate)
        {
            _silences.TryGetValue(id, out silence);
            if (silence is not null && method == "DELETE")
            {
                _silences[id] = Expired(silence, Time.GetUtcNow());
            }
        }

        if (silence is null)
        {
            if (method == "DELETE")
            {
                await JsonAsync(context, 500, JsonValue.Create("silence not found"));
            }
            else
            {
                context.Response.StatusCode = 404;
            }

            return;
        }

        if (method == "DELETE")
        {
            context.Response.StatusCode = 200;
            return;
        }

        await JsonAsync(context, 200, Gettable(silence, Time.GetUtcNow()));
    }

    private async Task CreateAsync(HttpContext context, string body)
    {
        JsonObject posted;
        try
        {
            posted = JsonNode.Parse(body) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException ex)
        {
            await JsonAsync(context, 400, JsonValue.Create($"parsing silence body failed: {ex.Message}"));
            return;
        }

        var problem = Problem(posted, Time.GetUtcNow(), out var silence);
        if (problem is not null)
        {
            await JsonAsync(context, 400, JsonValue.Create(problem));
            return;
        }

        lock (_gate)
        {
            _silences[silence!.Id] = silence;
        }

        await JsonAsync(context, 200, new JsonObject { ["silenceID"] = silence.Id });
    }

    private static string? Problem(JsonObject posted, DateTimeOffset now, out AlertmanagerStubSilence? silence)
    {
        silence = null;
        foreach (var field in new[] { "matchers", "startsAt", "endsAt", "createdBy", "comment" })
        {
            if (posted[field] is null || (posted[field] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length == 0))
            {
                return $"{field} in body is required";
            }
        }

        var matchers = new List<(string, string, bool, bool)>();
        foreach (var m in posted["matchers"]!.AsArray())
        {
            if (m?["name"]?.GetValue<string>() is not { Length: > 0 } name || m["value"]?.GetValue<string>() is not { } value || m["isRegex"] is null)
            {
                return "matchers: name, value and isRegex are required";
            }

            matchers.Add((name, value, m["isRegex"]!.GetValue<bool>(), m["isEqual"]?.GetValue<bool>() ?? true));
        }

        if (matchers.Count == 0)
        {
            return "silence invalid: at least one matcher required";
        }

        if (!DateTimeOffset.TryParse(posted["startsAt"]!.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var startsAt)
            || !DateTimeOffset.TryParse(posted["endsAt"]!.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var endsAt))
        {
            return "startsAt and endsAt must be date-time";
        }

        if (startsAt >= endsAt)
        {
            return "Failed to create silence: start time must be before end time";
        }

        if (endsAt < now)
        {
            return "Failed to create silence: end time can't be in the past";
        }

        // Alertmanager moves a start in the past to now.
        silence = new AlertmanagerStubSilence(Guid.NewGuid().ToString(), matchers, startsAt < now ? now : startsAt, endsAt,
            posted["createdBy"]!.GetValue<string>(), posted["comment"]!.GetValue<string>());
        return null;
    }

    private static AlertmanagerStubSilence Expired(AlertmanagerStubSilence silence, DateTimeOffset now) =>
        silence.State(now) switch
        {
            "expired" => silence,
            "pending" => silence with { StartsAt = now, EndsAt = now },
            _ => silence with { EndsAt = now },
        };

    private static JsonObject Gettable(AlertmanagerStubSilence silence, DateTimeOffset now)
    {
        var matchers = new JsonArray();
        foreach (var (name, value, isRegex, isEqual) in silence.Matchers)
        {
            matchers.Add(new JsonObject { ["isEqual"] = isEqual, ["isRegex"] = isRegex, ["name"] = name, ["value"] = value });
        }

        return new JsonObject
        {
            ["id"] = silence.Id,
            ["status"] = new JsonObject { ["state"] = silence.State(now) },
            ["updatedAt"] = Format(now),
            ["comment"] = silence.Comment,
            ["createdBy"] = silence.CreatedBy,
            ["endsAt"] = Format(silence.EndsAt),
            ["matchers"] = matchers,
            ["startsAt"] = Format(silence.StartsAt),
        };
    }

    private static string Format(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static async Task JsonAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString() + "\n");
    }
}
