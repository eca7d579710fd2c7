using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.Postgres;

/// <summary>
/// PostgreSQL cannot keep U+0000 in <c>text</c> nor in <c>jsonb</c> (which Alertmanager label values may hold: SQLite keeps them).
/// Text columns get U+FFFD in its place (they serve filters and Grafana); labels and annotations that hold one are kept exactly as
/// JSON text (escaped, so storable) in <c>labels_exact</c>/<c>annotations_exact</c>, which every reader prefers to the jsonb column.
/// </summary>
internal static class PostgresText
{
    /// <summary>What a storable text column holds for <paramref name="value"/>.</summary>
    public static string Storable(string value) => value.Contains('\0') ? value.Replace('\0', '\uFFFD') : value;

    /// <summary>What a nullable storable text column holds for <paramref name="value"/>.</summary>
    public static string? StorableOrNull(string? value) => value is null ? null : Storable(value);

    /// <summary>The jsonb column's JSON (storable) and the exact JSON when it differs (else null).</summary>
    public static (string Json, string? Exact) Json(LabelSet set)
    {
        if (!set.Any(pair => pair.Key.Contains('\0') || pair.Value.Contains('\0')))
        {
            return (set.ToJson(), null);
        }

        return (LabelSet.From(set.Select(pair => (Storable(pair.Key), Storable(pair.Value))).ToArray()).ToJson(), set.ToJson());
    }

    /// <summary>As <see cref="Json(LabelSet)"/> for a set already written as JSON (null stays null).</summary>
    public static (string? Json, string? Exact) Json(string? json) => json is null ? (null, null) : Json(LabelSet.FromJson(json));
}
