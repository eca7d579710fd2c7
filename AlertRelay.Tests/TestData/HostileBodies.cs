using System.Text;
using System.Text.Json;

namespace AlertRelay.Tests.TestData;

/// <summary>
/// The big hostile webhook bodies, generated instead of committed: 10 MB, 10,000 alerts, 1,000 labels, 1 MB values,
/// 100,000 nested arrays, megabytes of broken alerts.
/// </summary>
public static class HostileBodies
{
    public const string StartsAt = "2026-11-24T22:32:30.253Z";

    /// <summary>A valid body of one group with <paramref name="count"/> alerts, each with realistic labels and annotations (about 390 bytes).</summary>
    public static byte[] ManyAlerts(string alertname, int count)
    {
        var json = new StringBuilder(count * 400);
        json.Append($$"""{"version":"4","status":"firing","receiver":"hostile","groupKey":"{}:{alertname=\"{{alertname}}\"}","alerts":[""");
        for (var i = 0; i < count; i++)
        {
            json.Append(i == 0 ? "" : ",").Append($$"""
                {"status":"firing","labels":{"alertname":"{{alertname}}","instance":"node-{{i:D5}}:9100","job":"node","severity":"warning","cluster":"eu-west-1"},"annotations":{"summary":"Disk almost full on node-{{i:D5}}","description":"Filesystem / is 95% full on node-{{i:D5}}:9100"},"startsAt":"{{StartsAt}}","endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://prometheus:9090/graph?g0.expr=node_filesystem_avail_bytes"}
                """);
        }

        return Encoding.UTF8.GetBytes(json.Append("]}").ToString());
    }

    /// <summary>A valid body with one alert carrying these labels and annotations.</summary>
    public static byte[] OneAlert(IReadOnlyDictionary<string, string> labels, IReadOnlyDictionary<string, string> annotations) =>
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["version"] = "4",
            ["status"] = "firing",
            ["receiver"] = "hostile",
            ["alerts"] = new[]
            {
                new Dictionary<string, object> { ["status"] = "firing", ["labels"] = labels, ["annotations"] = annotations, ["startsAt"] = StartsAt },
            },
        });

    /// <summary>A body that would be valid but for its size: one alert whose description makes it <paramref name="bytes"/> long.</summary>
    public static byte[] Oversized(int bytes)
    {
        var head = Encoding.UTF8.GetBytes(
            "{\"version\":\"4\",\"status\":\"firing\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"Oversized\"}," +
            "\"startsAt\":\"2026-11-24T22:32:30Z\",\"annotations\":{\"description\":\"");
        var tail = "\"}}]}"u8.ToArray();
        var body = new byte[bytes];
        head.CopyTo(body);
        body.AsSpan(head.Length, bytes - head.Length - tail.Length).Fill((byte)'x');
        tail.CopyTo(body.AsSpan(bytes - tail.Length));
        return body;
    }

    /// <summary>A valid one-alert body with <paramref name="depth"/> nested arrays in an unknown member, or as a label value.</summary>
    public static byte[] NestedArrays(int depth, bool asLabelValue)
    {
        var nested = new string('[', depth) + new string(']', depth);
        return Encoding.UTF8.GetBytes(asLabelValue
            ? $$"""{"version":"4","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"Nested","deep":{{nested}}},"startsAt":"{{StartsAt}}"}]}"""
            : $$"""{"version":"4","status":"firing","future":{{nested}},"alerts":[{"status":"firing","labels":{"alertname":"Nested"},"startsAt":"{{StartsAt}}"}]}""");
    }

    /// <summary>About <paramref name="bytes"/> of empty alerts (<c>{}</c>, each missing status, labels and startsAt).</summary>
    public static byte[] BrokenAlerts(int bytes)
    {
        var json = new StringBuilder(bytes + 64).Append("""{"version":"4","status":"firing","alerts":[{}""");
        while (json.Length < bytes - 8)
        {
            json.Append(",{}");
        }

        return Encoding.UTF8.GetBytes(json.Append("]}").ToString());
    }

    /// <summary><paramref name="body"/> followed by spaces (insignificant JSON whitespace) up to exactly <paramref name="bytes"/>.</summary>
    public static byte[] PaddedTo(byte[] body, int bytes)
    {
        var padded = new byte[bytes];
        body.CopyTo(padded, 0);
        padded.AsSpan(body.Length).Fill((byte)' ');
        return padded;
    }
}
