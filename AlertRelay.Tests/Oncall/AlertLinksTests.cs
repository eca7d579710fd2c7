using System.Text;
using AlertRelay.Core.Oncall;
using Microsoft.AspNetCore.WebUtilities;

namespace AlertRelay.Tests.Oncall;

public sealed class AlertLinksTests
{
    private static readonly byte[] Secret = Encoding.UTF8.GetBytes("0123456789abcdef0123456789abcdef");
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(OncallActionKind.Acknowledge, "acknowledge")]
    [InlineData(OncallActionKind.Silence, "silence-1h")]
    [InlineData(OncallActionKind.Unacknowledge, "unacknowledge")]
    public void Action_IsASignedLinkUnderThePublicUrl_ThatVerifies(OncallActionKind kind, string action)
    {
        var links = new AlertLinks(Secret, "https://relay.example.com/oncall/", TimeSpan.FromHours(24));

        var link = links.Action(7, kind, Now)!;

        Assert.Equal("https://relay.example.com/oncall/alerts/7", link.GetLeftPart(UriPartial.Path));
        var query = QueryHelpers.ParseQuery(link.Query);
        Assert.Equal(action, query["action"].ToString());
        Assert.Equal(Now.AddHours(24).ToUnixTimeSeconds().ToString(), query["exp"].ToString());
        Assert.Equal(LinkVerdict.Valid, links.Verify(7, query["action"], query["exp"], query["sig"], Now.AddHours(23)));
        Assert.Equal(LinkVerdict.Expired, links.Verify(7, query["action"], query["exp"], query["sig"], Now.AddHours(24)));
    }

    [Fact]
    public void Page_IsAViewLink()
    {
        var link = new AlertLinks(Secret, "http://127.0.0.1:8080", TimeSpan.FromHours(1)).Page(9, Now)!;

        Assert.StartsWith("http://127.0.0.1:8080/alerts/9?action=view&exp=", link.AbsoluteUri);
    }

    [Fact]
    public void Constructor_Throws_WhenTheSecretIsShorterThan32Bytes() =>
        Assert.Throws<ArgumentException>(() => new AlertLinks(new byte[31], "https://relay.example.com", TimeSpan.FromHours(1)));
}
