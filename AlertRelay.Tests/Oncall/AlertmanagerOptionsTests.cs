using AlertRelay.Core.Oncall;

namespace AlertRelay.Tests.Oncall;

/// <summary>The <c>AlertRelay:Alertmanager</c> settings as start-up checks them: each problem names the setting.</summary>
public sealed class AlertmanagerOptionsTests
{
    public static TheoryData<string, string[], string?> UrlCases => new()
    {
        { "an HA pair", ["http://am-1:9093", "https://am-2.example.com/alertmanager/"], null },
        { "blank entries are ignored", ["", "http://am-1:9093"], null },
        { "no scheme", ["am-1:9093"], "AlertRelay:Alertmanager:Urls:0: \"am-1:9093\" is not an absolute http(s) URL" },
        { "relative", ["http://am-1:9093", "/alertmanager"], "AlertRelay:Alertmanager:Urls:1: \"/alertmanager\" is not an absolute http(s) URL" },
        { "another scheme", ["ftp://am-1"], "AlertRelay:Alertmanager:Urls:0: \"ftp://am-1\" is not an absolute http(s) URL" },
        { "a query", ["http://am-1:9093/?x=1"], "AlertRelay:Alertmanager:Urls:0: \"http://am-1:9093/?x=1\" must be a base URL without query or fragment" },
        { "a password, not echoed", ["http://u:hunter2@am-1:9093"], "AlertRelay:Alertmanager:Urls:0: must not carry user info (a password in a URL ends up in logs)" },
    };

    [Theory]
    [MemberData(nameof(UrlCases))]
    public void Validate_NamesTheSettingAndValue_WhenAUrlIsNotAnAbsoluteHttpBaseUrl(string name, string[] urls, string? expected)
    {
        var errors = new AlertmanagerOptions { Urls = [.. urls] }.Validate().ToList();

        Assert.True(expected is null ? errors.Count == 0 : errors.SequenceEqual([expected]), $"{name}: {string.Join(" | ", errors)}");
    }

    [Fact]
    public void Validate_RefusesAnEmptyExcludedLabel_AndTimingsOutOfRange()
    {
        var errors = new AlertmanagerOptions { SilenceExcludedLabels = ["instance", " "], TimeoutSeconds = 0, WatchIntervalSeconds = 0.5 }.Validate().ToList();

        Assert.Equal([
            "AlertRelay:Alertmanager:SilenceExcludedLabels:1: a label name may not be empty",
            "AlertRelay:Alertmanager:TimeoutSeconds must be more than 0 and at most 120, not 0",
            "AlertRelay:Alertmanager:WatchIntervalSeconds must be at least 1 and at most 3600, not 0.5",
        ], errors);
    }

    [Fact]
    public void IsConfigured_IsFalse_WithoutAUrl()
    {
        Assert.False(new AlertmanagerOptions().IsConfigured);
        Assert.False(new AlertmanagerOptions { Urls = [" "] }.IsConfigured);
        Assert.True(new AlertmanagerOptions { Urls = ["http://am:9093"] }.IsConfigured);
    }
}
