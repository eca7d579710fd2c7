using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AlertRelay.Api.Pages;

/// <summary>
/// The shell of every server-rendered page: a phone-friendly document with one small stylesheet allowed by a per-response nonce, and
/// the headers that keep the signed links out of caches and referrers (no script may run: the CSP allows none).
/// </summary>
public static class HtmlPage
{
    private const string Style = """
        *{box-sizing:border-box}
        body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1b1b1b;background:#f5f5f5;margin:0;padding:12px}
        main{max-width:720px;margin:0 auto;background:#fff;border:1px solid #ddd;border-radius:6px;padding:16px}
        h1{font-size:1.3rem;margin:0 0 8px;overflow-wrap:anywhere}
        h2{font-size:1.05rem;margin:20px 0 6px}
        p{margin:6px 0;overflow-wrap:anywhere}
        .status{display:inline-block;padding:2px 10px;border-radius:12px;font-weight:bold;color:#fff;background:#c62828}
        .status.resolved{background:#2e7d32}
        .note{padding:10px 12px;border-radius:4px;background:#e3f2fd;border-left:4px solid #1565c0}
        .note.bad{background:#fdecea;border-left-color:#c62828}
        .note.ok{background:#e8f5e9;border-left-color:#2e7d32}
        dl{display:grid;grid-template-columns:minmax(6em,max-content) 1fr;gap:2px 12px;margin:6px 0}
        dt{color:#555;overflow-wrap:anywhere}
        dd{margin:0;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9rem;overflow-wrap:anywhere;white-space:pre-wrap}
        ol{padding-left:1.2em;margin:6px 0}
        li{margin:4px 0;overflow-wrap:anywhere}
        form{margin:16px 0;padding:12px;border:1px solid #ddd;border-radius:6px}
        label{display:block;font-weight:bold;margin-bottom:4px}
        input[type=text]{width:100%;min-height:44px;font-size:1rem;padding:8px;border:1px solid #777;border-radius:4px}
        button,.button{display:inline-block;min-height:44px;min-width:44px;margin-top:10px;padding:10px 20px;font-size:1rem;font-weight:bold;border:0;border-radius:4px;background:#1565c0;color:#fff;cursor:pointer;text-decoration:none}
        :focus-visible{outline:3px solid #ff8f00;outline-offset:2px}
        small{color:#555}
        """;

    /// <summary>A complete page as a typed result; sets the security headers on <paramref name="response"/>.</summary>
    public static ContentHttpResult Result(HttpResponse response, int statusCode, string title, string body)
    {
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var headers = response.Headers;
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        headers["X-Content-Type-Options"] = "nosniff";
        headers.ContentSecurityPolicy =
            $"default-src 'none'; style-src 'nonce-{nonce}'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
        return TypedResults.Content(Document(title, body, nonce), "text/html; charset=utf-8", Encoding.UTF8, statusCode);
    }

    /// <summary>A page of one message: a heading and a sentence (refusals, outcomes).</summary>
    public static ContentHttpResult Message(HttpResponse response, int statusCode, string title, string sentence, string noteClass = "bad", string extra = "") =>
        Result(response, statusCode, title,
            $"<h1>{E(title)}</h1>\n<p class=\"note {noteClass}\" role=\"status\">{E(sentence)}</p>\n{extra}");

    internal static string Document(string title, string body, string nonce) =>
        $"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <meta name="robots" content="noindex, nofollow">
        <title>{E(title)} · AlertRelay</title>
        <style nonce="{nonce}">{Style}</style>
        </head>
        <body>
        <main>
        {body}
        </main>
        </body>
        </html>
        """;

    /// <summary>HTML-escapes a value (labels and annotations come from whoever can reach Alertmanager).</summary>
    public static string E(string? value) => WebUtility.HtmlEncode(value ?? "");

    /// <summary>A time as people read it in a page: UTC, to the second.</summary>
    public static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
