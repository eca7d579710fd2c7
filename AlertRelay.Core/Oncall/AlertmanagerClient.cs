using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AlertRelay.Core.Alerts;
using Microsoft.Extensions.Options;

namespace AlertRelay.Core.Oncall;

/// <summary>
/// Alertmanager's API v2 silence calls over every configured URL (<see cref="AlertmanagerOptions.Urls"/>): each URL is tried in
/// order until one answers. A refused connection, a timeout, a 5xx or an unreadable body moves on to the next URL; a 404 or another
/// 4xx is the answer (the request is wrong, another member of the cluster would say the same).
/// </summary>
/// <remarks>
/// A named client (<see cref="HttpClientName"/>) created per call, so that IHttpClientFactory's handler rotation sees DNS changes;
/// its timeout is <see cref="AlertmanagerOptions.TimeoutSeconds"/> per URL. No retries here: the person who clicked is told.
/// </remarks>
public sealed class AlertmanagerClient(IHttpClientFactory httpClients, IOptions<AlertmanagerOptions> options)
{
    public const string HttpClientName = "alertmanager";

    private const int MaxBodyInReason = 200;
    private readonly TimeSpan _timeout = TimeSpan.FromSeconds(options.Value.TimeoutSeconds);
    private readonly IReadOnlyList<Uri> _bases = options.Value.BaseUrls.Select(u => new Uri(u.EndsWith('/') ? u : u + "/")).ToList();

    /// <summary>How long trying every URL may take at most (each one's timeout): how long a silence slot must stay claimed.</summary>
    public TimeSpan WorstCase => _timeout * Math.Max(1, _bases.Count);

    /// <summary><c>POST /api/v2/silences</c>; Ok carries the new silence's id (<c>{"silenceID": "..."}</c>).</summary>
    public Task<AlertmanagerAnswer> CreateSilenceAsync(SilenceSpec spec, CancellationToken cancellationToken)
    {
        var body = Body(spec).ToJsonString();
        return TryEachAsync(
            HttpMethod.Post, "api/v2/silences", () => new StringContent(body, Encoding.UTF8, "application/json"),
            json => json.RootElement.TryGetProperty("silenceID", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } s ? s : null,
            cancellationToken);
    }

    /// <summary><c>GET /api/v2/silence/{id}</c>; Ok carries <c>status.state</c> (active, pending or expired), NotFound when it is gone.</summary>
    public Task<AlertmanagerAnswer> GetSilenceStateAsync(string silenceId, CancellationToken cancellationToken) =>
        TryEachAsync(
            HttpMethod.Get, "api/v2/silence/" + Uri.EscapeDataString(silenceId), null,
            json => json.RootElement.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.Object
                && status.TryGetProperty("state", out var state) && state.ValueKind == JsonValueKind.String ? state.GetString() : null,
            cancellationToken);

    /// <summary>
    /// <c>DELETE /api/v2/silence/{id}</c>: expires it (Alertmanager keeps expired silences for its retention, and expiring one
    /// already expired is a 200). Alertmanager 0.25 answers an unknown id with 500 (later versions 404): the caller asks
    /// <see cref="GetSilenceStateAsync"/> when every URL failed.
    /// </summary>
    public Task<AlertmanagerAnswer> ExpireSilenceAsync(string silenceId, CancellationToken cancellationToken) =>
        TryEachAsync(HttpMethod.Delete, "api/v2/silence/" + Uri.EscapeDataString(silenceId), null, _ => "", cancellationToken, emptyBodyIsOk: true);

    internal static JsonObject Body(SilenceSpec spec)
    {
        var matchers = new JsonArray();
        foreach (var m in spec.Matchers)
        {
            matchers.Add(new JsonObject { ["name"] = m.Name, ["value"] = m.Value, ["isRegex"] = false, ["isEqual"] = true });
        }

        return new JsonObject
        {
            ["matchers"] = matchers,
            ["startsAt"] = Rfc3339.Format(spec.StartsAt),
            ["endsAt"] = Rfc3339.Format(spec.EndsAt),
            ["createdBy"] = spec.CreatedBy,
            ["comment"] = spec.Comment,
        };
    }

    private async Task<AlertmanagerAnswer> TryEachAsync(
        HttpMethod method, string path, Func<HttpContent>? content, Func<JsonDocument, string?> read, CancellationToken cancellationToken,
        bool emptyBodyIsOk = false)
    {
        var failures = new List<string>();
        foreach (var baseUri in _bases)
        {
            var url = new Uri(baseUri, path);
            var where = $"{baseUri.GetLeftPart(UriPartial.Authority)}{baseUri.AbsolutePath.TrimEnd('/')}";
            var http = httpClients.CreateClient(HttpClientName);
            http.Timeout = _timeout;
            HttpStatusCode status;
            string body;
            try
            {
                using var request = new HttpRequestMessage(method, url) { Content = content?.Invoke() };
                using var response = await http.SendAsync(request, cancellationToken);
                status = response.StatusCode;
                body = await response.Content.ReadAsStringAsync(cancellationToken);
            }
            catch (HttpRequestException ex)
            {
                failures.Add($"{where}: {ex.Message}");
                continue;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                failures.Add($"{where}: no answer within {_timeout.TotalSeconds:0.###} s");
                continue;
            }

            var code = (int)status;
            if (code is >= 200 and < 300)
            {
                if (emptyBodyIsOk)
                {
                    return new AlertmanagerAnswer(AlertmanagerAnswerKind.Ok, "", $"{where} answered {code}");
                }

                var value = TryRead(body, read);
                if (value is not null)
                {
                    return new AlertmanagerAnswer(AlertmanagerAnswerKind.Ok, value, $"{where} answered {code}");
                }

                failures.Add($"{where}: {code} with a body that is not Alertmanager's ({Shorten(body)})");
                continue;
            }

            if (code == 404)
            {
                return new AlertmanagerAnswer(AlertmanagerAnswerKind.NotFound, null, $"{where} answered 404{Detail(body)}");
            }

            if (code is >= 400 and < 500)
            {
                return new AlertmanagerAnswer(AlertmanagerAnswerKind.Refused, null, $"{where} refused the request: {code}{Detail(body)}");
            }

            failures.Add($"{where}: {code}{Detail(body)}");
        }

        return new AlertmanagerAnswer(AlertmanagerAnswerKind.Unreachable, null,
            failures.Count == 0 ? "no Alertmanager URL is configured" : "no Alertmanager answered: " + string.Join("; ", failures));
    }

    private static string? TryRead(string body, Func<JsonDocument, string?> read)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return read(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Detail(string body) => body.Trim().Length == 0 ? "" : $" ({Shorten(body)})";

    private static string Shorten(string body)
    {
        // Alertmanager's error payloads are JSON strings ("..."): show the text.
        var text = body.Trim();
        if (text.StartsWith('"'))
        {
            try
            {
                text = JsonSerializer.Deserialize<string>(text) ?? text;
            }
            catch (JsonException)
            {
            }
        }

        return text.Length <= MaxBodyInReason ? text : text[..MaxBodyInReason] + "…";
    }
}
