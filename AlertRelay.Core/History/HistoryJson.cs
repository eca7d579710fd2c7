using System.Text.Json;

namespace AlertRelay.Core.History;

/// <summary>JSON settings for the <c>detail</c> column of events: camelCase, compact.</summary>
public static class HistoryJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web) { WriteIndented = false };
}
