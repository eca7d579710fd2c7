using AlertRelay.Core.Oncall;

namespace AlertRelay.Tests.Oncall;

public sealed class LinkActionTests
{
    public static TheoryData<string, bool, bool, bool, string[]> Cases => new()
    {
        { "resolved: nothing", false, false, false, [] },
        { "resolved, was acknowledged and silenced: nothing", false, true, true, [] },
        { "firing", true, false, false, ["acknowledge", "silence-1h"] },
        { "firing, acknowledged", true, true, false, ["unacknowledge", "silence-1h"] },
        { "firing, silenced", true, false, true, ["acknowledge", "unsilence"] },
        { "firing, acknowledged and silenced", true, true, true, ["unacknowledge", "unsilence"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Offered_ListsTheActionsThatMakeSense_ForEachState(string name, bool firing, bool acknowledged, bool silenced, string[] expected)
    {
        Assert.True(name.Length > 0);
        Assert.Equal(expected, LinkAction.Offered(firing, acknowledged, silenced).Select(a => a.Name));
    }

    [Theory]
    [InlineData("view", true)]
    [InlineData("acknowledge", true)]
    [InlineData("silence-1h", true)]
    [InlineData("VIEW", false)]
    [InlineData("silence", false)]
    [InlineData("", false)]
    public void Parse_KnowsExactlyTheSignedNames(string name, bool known) =>
        Assert.Equal(known, LinkAction.Parse(name) is not null);
}
