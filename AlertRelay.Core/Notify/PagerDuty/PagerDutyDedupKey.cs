using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.Notify.PagerDuty;

/// <summary>
/// The <c>dedup_key</c> of the PagerDuty alert an occurrence (or a storm digest) triggers. Derived from what the store keeps for the
/// occurrence (fingerprint and startsAt in milliseconds), so that every replica and every restart computes the same key: its resolve
/// and acknowledgement reach the same alert, and a retried trigger is deduplicated by PagerDuty instead of paging twice.
/// </summary>
public static class PagerDutyDedupKey
{
    /// <summary><c>alertrelay-&lt;fingerprint&gt;-&lt;startsAt unix ms&gt;</c>, e.g. alertrelay-1f2e3d4c5b6a7980-1795908750253.</summary>
    public static string Of(NotifiedOccurrence occurrence) =>
        string.Create(CultureInfo.InvariantCulture, $"alertrelay-{occurrence.Fingerprint}-{UnixMillis.From(occurrence.StartsAt)}");

    /// <summary>
    /// The key of a digest's one alert: <c>alertrelay-digest-</c> and a SHA-256 of its occurrences' keys (sorted), so that a resolve
    /// can name it again from the digest's occurrences.
    /// </summary>
    public static string OfDigest(IEnumerable<NotifiedOccurrence> occurrences)
    {
        var keys = string.Join('\n', occurrences.Select(Of).Order(StringComparer.Ordinal));
        return "alertrelay-digest-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(keys)))[..32];
    }
}
