using ECommerce.LoadGen;

namespace ECommerce.Tests.LoadGen;

public sealed class LoadOptionsTests
{
    [Fact]
    public void Parse_ReadsEveryOption_WhenAllAreGiven()
    {
        var (options, error) = LoadOptions.Parse(
            ["--url", "http://127.0.0.1:3000", "--users", "25", "--duration", "2m", "--ramp-up=15s", "--think-time", "100ms", "--accounts", "5", "--password", "pw"]);

        Assert.Null(error);
        Assert.Equal(new LoadOptions
        {
            Url = new Uri("http://127.0.0.1:3000"), Users = 25, Duration = TimeSpan.FromMinutes(2), RampUp = TimeSpan.FromSeconds(15),
            ThinkTime = TimeSpan.FromMilliseconds(100), Accounts = 5, Password = "pw",
        }, options);
    }

    [Fact]
    public void Parse_KeepsTheDefaults_WhenNoOptionIsGiven()
    {
        Assert.Equal(new LoadOptions(), LoadOptions.Parse([]).Options);
        Assert.Equal(new Uri("http://localhost:3000"), new LoadOptions().Url);
    }

    [Theory]
    [InlineData("--users", "0", "--users")]
    [InlineData("--users", "many", "--users")]
    [InlineData("--duration", "0", "--duration")]
    [InlineData("--duration", "soon", "--duration")]
    [InlineData("--url", "ftp://x", "--url")]
    [InlineData("--colour", "red", "unknown option")]
    public void Parse_NamesTheProblem_WhenAnOptionIsBad(string name, string value, string expected)
    {
        var (options, error) = LoadOptions.Parse([name, value]);

        Assert.Null(options);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void Parse_Complains_WhenAValueIsMissing()
    {
        Assert.Contains("missing", LoadOptions.Parse(["--users"]).Error);
    }

    [Theory]
    [InlineData("30", 30_000)]
    [InlineData("30s", 30_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("250ms", 250)]
    [InlineData("2m", 120_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("0", 0)]
    public void TryParseTime_ReadsTheUnit_WhenOneIsGiven(string text, int milliseconds)
    {
        Assert.True(LoadOptions.TryParseTime(text, out var time));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), time);
    }
}
