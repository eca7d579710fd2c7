using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AlertRelay.Bench;

/// <summary>
/// Builds Alertmanager webhook bodies (payload version 4) shaped like a real notification: one group
/// (alertname) per body, 8 to 11 labels per alert, RFC 3339 times with nanoseconds and the
/// fingerprint Alertmanager would send. Body n is a pure function of (run id, n), so re-sending body n
/// produces the same bytes, as Alertmanager's group re-sends do. Every alert has a unique counter in its
/// <c>pod</c> label, so every body of a run carries alerts that are new to the server.
/// </summary>
public sealed class PayloadFactory
{
    private static readonly string[] AlertNames =
    [
        "HighErrorRate", "HighLatency", "PodCrashLooping", "DiskAlmostFull", "NodeMemoryPressure", "TargetDown",
        "CertificateExpiring", "QueueBacklog", "ReplicaLag", "CPUThrottlingHigh", "KubeJobFailed", "HighRequestRate",
    ];

    internal static readonly string[] Severities = ["critical", "warning", "info"];
    internal static readonly string[] Jobs = ["ecommerce-api", "checkout", "payments", "search", "inventory", "node-exporter", "kube-state-metrics", "gateway"];
    internal static readonly string[] Namespaces = ["prod", "staging", "platform", "monitoring"];
    internal static readonly string[] Clusters = ["eu-west-1a", "eu-west-1b", "us-east-2a"];
    internal static readonly string[] Containers = ["app", "sidecar", "proxy"];
    internal static readonly string[] Regions = ["eu-west-1", "us-east-2"];
    internal static readonly string[] Teams = ["sre", "payments", "search", "platform"];

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly string _runId;
    private readonly long _baseUnixSeconds;

    /// <param name="runId">Short token put into every alert so that runs against the same database never collide.</param>
    /// <param name="alertsPerBody">Alerts in each body.</param>
    /// <param name="baseTime">startsAt of body 0; later bodies start later.</param>
    public PayloadFactory(string runId, int alertsPerBody, DateTimeOffset baseTime)
    {
        _runId = runId;
        AlertsPerBody = alertsPerBody;
        _baseUnixSeconds = baseTime.ToUnixTimeSeconds();
    }

    public int AlertsPerBody { get; }

    /// <summary>The UTF-8 JSON of body number <paramref name="bodyIndex"/>.</summary>
    public byte[] Build(long bodyIndex)
    {
        var h = Mix((ulong)bodyIndex);
        var alertname = Pick(AlertNames, h, 0);
        var common = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["alertname"] = alertname,
            ["cluster"] = Pick(Clusters, h, 8),
            ["job"] = Pick(Jobs, h, 16),
            ["namespace"] = Pick(Namespaces, h, 24),
            ["severity"] = Pick(Severities, h, 32),
        };
        var runbook = "https://runbooks.example.com/alerts/" + alertname;

        var buffer = new ArrayBufferWriter<byte>(1024 * (AlertsPerBody + 1));
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("receiver", "relay");
            json.WriteString("status", "firing");
            json.WriteStartArray("alerts");
            for (var i = 0; i < AlertsPerBody; i++)
            {
                WriteAlert(json, bodyIndex * AlertsPerBody + i, common, runbook);
            }

            json.WriteEndArray();
            json.WriteStartObject("groupLabels");
            json.WriteString("alertname", alertname);
            json.WriteEndObject();
            WriteMap(json, "commonLabels", common);
            json.WriteStartObject("commonAnnotations");
            json.WriteString("runbook_url", runbook);
            json.WriteEndObject();
            json.WriteString("externalURL", "http://alertmanager.bench:9093");
            json.WriteString("version", "4");
            json.WriteString("groupKey", "{}:{alertname=\"" + alertname + "\"}");
            json.WriteNumber("truncatedAlerts", 0);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private void WriteAlert(Utf8JsonWriter json, long alertIndex, SortedDictionary<string, string> common, string runbook)
    {
        var h = Mix((ulong)alertIndex ^ 0x5bd1e995UL);
        var labels = new SortedDictionary<string, string>(common, StringComparer.Ordinal)
        {
            ["instance"] = string.Create(CultureInfo.InvariantCulture, $"10.{(h >> 8) & 255}.{(h >> 16) & 255}.{(h >> 24) & 255}:{9100 + (int)((h >> 32) % 10)}"),
            ["pod"] = string.Create(CultureInfo.InvariantCulture, $"{common["job"]}-{_runId}-{alertIndex:x}"),
            ["container"] = Pick(Containers, h, 40),
        };

        // 0 to 3 optional labels: 8 to 11 labels in all.
        var extra = (int)((h >> 48) % 4);
        if (extra >= 1)
        {
            labels["region"] = Pick(Regions, h, 52);
        }

        if (extra >= 2)
        {
            labels["team"] = Pick(Teams, h, 54);
        }

        if (extra >= 3)
        {
            labels["service"] = common["job"] + "-svc";
        }

        var seconds = _baseUnixSeconds + alertIndex / 1000;
        var nanos = (long)((h >> 3) % 1_000_000_000UL);
        var value = ((h >> 20) % 10_000) / 100.0;

        json.WriteStartObject();
        json.WriteString("status", "firing");
        WriteMap(json, "labels", labels);
        json.WriteStartObject("annotations");
        json.WriteString("description", string.Create(CultureInfo.InvariantCulture, $"{common["alertname"]} is at {value:F2}% on {labels["instance"]} over the last 5m"));
        json.WriteString("runbook_url", runbook);
        json.WriteString("summary", common["alertname"] + " on " + labels["pod"]);
        json.WriteEndObject();
        json.WriteString("startsAt", Rfc3339Nanos(seconds, nanos));
        json.WriteString("endsAt", "0001-01-01T00:00:00Z");
        json.WriteString("generatorURL", "http://prometheus.bench:9090/graph?g0.expr=" + common["alertname"] + "&g0.tab=1");
        json.WriteString("fingerprint", Fingerprint(labels));
        json.WriteEndObject();
    }

    private static void WriteMap(Utf8JsonWriter json, string name, SortedDictionary<string, string> map)
    {
        json.WriteStartObject(name);
        foreach (var (key, value) in map)
        {
            json.WriteString(key, value);
        }

        json.WriteEndObject();
    }

    /// <summary>Go's time.Time JSON form with all nine fraction digits, e.g. 2026-11-24T22:32:30.253459502Z.</summary>
    private static string Rfc3339Nanos(long unixSeconds, long nanos) =>
        DateTimeOffset.FromUnixTimeSeconds(unixSeconds).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)
        + "." + nanos.ToString("D9", CultureInfo.InvariantCulture) + "Z";

    /// <summary>Alertmanager's fingerprint: FNV-1a 64 over the labels sorted by name, each name and value followed by 0xff.</summary>
    private static string Fingerprint(SortedDictionary<string, string> sortedLabels)
    {
        var hash = 14695981039346656037UL;
        foreach (var (name, value) in sortedLabels)
        {
            hash = Fnv(Fnv(hash, name), value);
        }

        return hash.ToString("x16", CultureInfo.InvariantCulture);

        static ulong Fnv(ulong hash, string text)
        {
            foreach (var b in Encoding.UTF8.GetBytes(text))
            {
                hash = (hash ^ b) * 1099511628211UL;
            }

            return (hash ^ 0xff) * 1099511628211UL;
        }
    }

    private static string Pick(string[] values, ulong hash, int shift) => values[(int)((hash >> shift) % (ulong)values.Length)];

    /// <summary>SplitMix64: spreads consecutive counters over all 64 bits.</summary>
    private static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
