using AlertRelay.Core.Configuration;

namespace AlertRelay.Api.Security;

/// <summary>Bearer tokens, bound to <c>AlertRelay:Auth</c>. A token may be given inline or as a file (Docker/Kubernetes secrets).</summary>
public sealed class AuthOptions
{
    public const string SectionName = "AlertRelay:Auth";

    /// <summary>Required on <c>POST /webhook</c> (Alertmanager's <c>http_config.authorization</c>).</summary>
    public string? WebhookToken { get; set; }

    public string? WebhookTokenFile { get; set; }

    /// <summary>Required on the query API (<c>/api/...</c>).</summary>
    public string? ReadToken { get; set; }

    public string? ReadTokenFile { get; set; }

    public string? ResolveWebhookToken() => Resolve(WebhookToken, WebhookTokenFile);

    public string? ResolveReadToken() => Resolve(ReadToken, ReadTokenFile);

    private static string? Resolve(string? inline, string? file) => SecretSetting.Read(inline, file);
}
