namespace AlertRelay.Core.Configuration;

/// <summary>
/// A secret given inline or as a file (Docker/Kubernetes secrets): the inline value when set, else the trimmed content of the
/// file, else null. One rule for the API tokens and the links' secret.
/// </summary>
public static class SecretSetting
{
    public static string? Read(string? inline, string? file) =>
        !string.IsNullOrEmpty(inline) ? inline
        : string.IsNullOrEmpty(file) ? null
        : File.ReadAllText(file).Trim();
}
