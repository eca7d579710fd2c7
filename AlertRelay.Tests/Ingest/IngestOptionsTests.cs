using AlertRelay.Core.Ingest;

namespace AlertRelay.Tests.Ingest;

public sealed class IngestOptionsTests
{
    public static TheoryData<string, int, string?> ReopenGraceCases => new()
    {
        { "the default", IngestOptions.DefaultReopenGraceSeconds, null },
        { "0 re-opens at once", 0, null },
        { "a day", 86_400, null },
        { "negative", -1, "AlertRelay:Ingest:ReopenGraceSeconds must be between 0 and 86400, not -1" },
        { "more than a day", 86_401, "AlertRelay:Ingest:ReopenGraceSeconds must be between 0 and 86400, not 86401" },
    };

    [Theory]
    [MemberData(nameof(ReopenGraceCases))]
    public void Validate_NamesReopenGraceSeconds_WhenOutOfRange(string name, int seconds, string? expected)
    {
        var errors = new IngestOptions { ReopenGraceSeconds = seconds }.Validate().ToList();

        Assert.True(expected is null ? errors.Count == 0 : errors.SequenceEqual([expected]), $"{name}: {string.Join("; ", errors)}");
    }

    [Fact]
    public void ReopenGraceSeconds_DefaultsToAGroupIntervalAndATripletsPeerTimeoutsWithSlack()
    {
        Assert.Equal(300 + 2 * 15 + 30, new IngestOptions().ReopenGraceSeconds);
    }
}
