using System.Text.Encodings.Web;
using System.Text.Json;

namespace AlertRelay.Core.History;

/// <summary>JSON settings for the <c>detail</c> column of events: camelCase, compact, readable (no \u escapes for quotes or non-ASCII).</summary>
public static class HistoryJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web) { WriteIndented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
