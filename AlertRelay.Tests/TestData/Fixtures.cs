namespace AlertRelay.Tests.TestData;

/// <summary>Webhook bodies captured from a real Alertmanager 0.25 (copied from shared/fixtures/alertmanager).</summary>
public static class Fixtures
{
    public const string FiringSingle = "firing-single.json";
    public const string FiringGroupOfTwo = "firing-group-of-two.json";
    public const string GroupOneFiringOneResolved = "group-one-firing-one-resolved.json";
    public const string ResolvedSingle = "resolved-single.json";
    public const string RefiredNewStartsAt = "refired-new-startsat.json";

    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "TestData", "alertmanager");

    public static IEnumerable<string> AllWebhookBodies =>
        System.IO.Directory.EnumerateFiles(Directory, "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    public static TheoryData<string> All => new(AllWebhookBodies);

    public static byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(Directory, name));

    public static string Text(string name) => File.ReadAllText(Path.Combine(Directory, name));
}
