using AlertRelay.Core.Alerts;

namespace AlertRelay.Tests.Alerts;

public class LabelSetTests
{
    [Fact]
    public void ToJson_SortsNamesOrdinally_SoThatEqualSetsGiveEqualText()
    {
        var a = LabelSet.From(("b", "2"), ("B", "1"), ("a", "3"));
        var b = LabelSet.From(("a", "3"), ("b", "2"), ("B", "1"));

        Assert.Equal("""{"B":"1","a":"3","b":"2"}""", a.ToJson());
        Assert.Equal(a.ToJson(), b.ToJson());
        Assert.Equal(a, b);
    }

    [Fact]
    public void ToJson_KeepsQuotesAndNonAsciiReadable_AndRoundTrips()
    {
        var set = LabelSet.From(("summary", "disk \"/\" at 95% — ünïcode"), ("path", "a\\b"));

        var json = set.ToJson();

        Assert.Contains("ünïcode", json);
        Assert.Contains("\\\"/\\\"", json);
        Assert.Equal(set, LabelSet.FromJson(json));
    }

    [Fact]
    public void Get_ReturnsEmpty_WhenTheLabelIsMissing()
    {
        Assert.Equal("", LabelSet.From(("a", "1")).Get("b"));
    }

    [Fact]
    public void From_KeepsTheLastValue_WhenANameRepeats()
    {
        Assert.Equal("2", LabelSet.From(("a", "1"), ("a", "2"))["a"]);
    }
}
