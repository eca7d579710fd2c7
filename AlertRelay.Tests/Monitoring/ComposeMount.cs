namespace AlertRelay.Tests.Monitoring;

/// <summary>One entry of a compose service's <c>volumes:</c>: a bind mount of a host path, a named volume, or an anonymous one.</summary>
public sealed record ComposeMount(string File, string Service, string Kind, string? Source, string Target, bool ReadOnly)
{
    public const string Bind = "bind";
    public const string Volume = "volume";

    public override string ToString() => $"{File}: services.{Service}.volumes: {Source ?? "(anonymous)"} -> {Target}{(ReadOnly ? " (ro)" : "")}";
}
