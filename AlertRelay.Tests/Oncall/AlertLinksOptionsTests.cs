using AlertRelay.Core.Oncall;

namespace AlertRelay.Tests.Oncall;

public sealed class AlertLinksOptionsTests
{
    private const string GoodSecret = "0123456789abcdef0123456789abcdef";

    public static TheoryData<string, AlertLinksOptions, string?> Cases => new()
    {
        { "nothing set: off, valid", new AlertLinksOptions(), null },
        { "both set", new AlertLinksOptions { Secret = GoodSecret, PublicUrl = "https://relay.example.com" }, null },
        { "secret of 31 bytes", new AlertLinksOptions { Secret = GoodSecret[1..], PublicUrl = "https://relay.example.com" }, "AlertRelay:Links:Secret must be at least 32 bytes (it has 31)" },
        { "public URL relative", new AlertLinksOptions { Secret = GoodSecret, PublicUrl = "/relay" }, "AlertRelay:PublicUrl must be an absolute http(s) URL" },
        { "public URL ftp", new AlertLinksOptions { Secret = GoodSecret, PublicUrl = "ftp://relay.example.com" }, "AlertRelay:PublicUrl must be an absolute http(s) URL" },
        { "expiry zero", new AlertLinksOptions { ExpiryHours = 0 }, "AlertRelay:Links:ExpiryHours must be between 1 and 744" },
        { "secret file missing", new AlertLinksOptions { SecretFile = "/nonexistent/links-secret", PublicUrl = "https://relay.example.com" }, "AlertRelay:Links:SecretFile cannot be read" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Validate_NamesTheSetting_ForEachBadValue(string name, AlertLinksOptions options, string? expected)
    {
        Assert.True(name.Length > 0);
        var errors = options.Validate().ToList();
        if (expected is null)
        {
            Assert.Empty(errors);
        }
        else
        {
            Assert.StartsWith(expected, Assert.Single(errors));
        }
    }

    [Fact]
    public void ResolveSecret_ReadsTheFileTrimmed_WhenOnlyTheFileIsSet()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, GoodSecret + "\n");
            var options = new AlertLinksOptions { SecretFile = file, PublicUrl = "https://relay.example.com" };

            Assert.Empty(options.Validate());
            Assert.Equal(GoodSecret, System.Text.Encoding.UTF8.GetString(options.ResolveSecret()));
            Assert.Null(options.DisabledReason());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData(null, "https://relay.example.com", "AlertRelay:Links:Secret (or SecretFile) not set")]
    [InlineData(GoodSecret, null, "AlertRelay:PublicUrl not set")]
    [InlineData(null, null, "AlertRelay:Links:Secret (or SecretFile) and AlertRelay:PublicUrl not set")]
    public void DisabledReason_NamesWhatIsMissing(string? secret, string? publicUrl, string expected) =>
        Assert.Contains(expected, new AlertLinksOptions { Secret = secret, PublicUrl = publicUrl }.DisabledReason());
}
