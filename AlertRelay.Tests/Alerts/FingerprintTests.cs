using System.Text.Json;
using AlertRelay.Core.Alerts;
using AlertRelay.Tests.TestData;

namespace AlertRelay.Tests.Alerts;

public class FingerprintTests
{
    public static TheoryData<string, string, string> CapturedAlerts()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var file in Fixtures.AllWebhookBodies)
        {
            using var document = JsonDocument.Parse(Fixtures.Text(file));
            foreach (var alert in document.RootElement.GetProperty("alerts").EnumerateArray())
            {
                data.Add(file, alert.GetProperty("labels").GetRawText(), alert.GetProperty("fingerprint").GetString()!);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CapturedAlerts))]
    public void Of_EqualsAlertmanagersFingerprint_ForEveryCapturedAlert(string file, string labelsJson, string expected)
    {
        var labels = LabelSet.FromJson(labelsJson);

        Assert.True(expected == Fingerprint.Of(labels).ToString(), $"{file}: {labels}");
    }

    [Fact]
    public void Of_IsTheFnvOffsetBasis_WhenTheLabelSetIsEmpty()
    {
        Assert.Equal("cbf29ce484222325", Fingerprint.Of(LabelSet.Empty).ToString());
    }

    [Fact]
    public void Of_DoesNotDependOnTheOrderLabelsArriveIn()
    {
        var a = LabelSet.From(("alertname", "X"), ("severity", "critical"), ("instance", "web-1"));
        var b = LabelSet.From(("instance", "web-1"), ("alertname", "X"), ("severity", "critical"));

        Assert.Equal(Fingerprint.Of(a), Fingerprint.Of(b));
    }

    [Fact]
    public void Of_Differs_WhenOnlyTheSplitBetweenNameAndValueDiffers()
    {
        // The 0xff separator keeps {ab="c"} and {a="bc"} apart.
        Assert.NotEqual(Fingerprint.Of(LabelSet.From(("ab", "c"))), Fingerprint.Of(LabelSet.From(("a", "bc"))));
    }

    [Fact]
    public void Of_HashesUtf8Bytes_WhenValuesAreNotAscii()
    {
        // FNV-1a 64 of "k" 0xff "é"(c3 a9) 0xff, computed independently.
        ulong hash = 14695981039346656037;
        foreach (var b in new byte[] { (byte)'k', 0xff, 0xc3, 0xa9, 0xff })
        {
            hash = (hash ^ b) * 1099511628211;
        }

        Assert.Equal(hash, Fingerprint.Of(LabelSet.From(("k", "é"))).Value);
    }

    [Theory]
    [InlineData("76902ea1e495036c", true)]
    [InlineData("76902EA1E495036C", true)]
    [InlineData("76902ea1e49503", false)]
    [InlineData("zz902ea1e495036c", false)]
    [InlineData("", false)]
    public void TryParse_AcceptsOnlySixteenHexDigits(string text, bool expected)
    {
        Assert.Equal(expected, Fingerprint.TryParse(text, out _));
    }

    [Fact]
    public void ToInt64_RoundTripsValuesAboveLongMaxValue()
    {
        var fingerprint = new Fingerprint(0xfedcba9876543210);

        Assert.True(fingerprint.ToInt64() < 0);
        Assert.Equal(fingerprint, Fingerprint.FromInt64(fingerprint.ToInt64()));
    }
}
