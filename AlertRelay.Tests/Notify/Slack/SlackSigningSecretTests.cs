using AlertRelay.Core.Notify.Slack;

namespace AlertRelay.Tests.Notify.Slack;

public class SlackSigningSecretTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "alertrelay-tests", Guid.NewGuid().ToString("N"));

    public SlackSigningSecretTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    public static TheoryData<string, string?, string?, string?, string?> Cases => new()
    {
        // name, inline secret, file content (null: no file setting; "<missing>": a path that does not exist), secret, problem
        { "inline", " s3cret ", null, "s3cret", null },
        { "file, trimmed", null, "s3cret\n", "s3cret", null },
        { "inline wins over the file", "inline", "from-file", "inline", null },
        { "neither", null, null, null, "no signing secret (set AlertRelay:Slack:SigningSecret or AlertRelay:Slack:SigningSecretFile)" },
        { "blank inline, no file", "  ", null, null, "no signing secret" },
        { "missing file", null, "<missing>", null, "cannot read AlertRelay:Slack:SigningSecretFile" },
        { "empty file", null, " \n", null, "is empty" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Load_ReadsTheSecretOrSaysWhyInteractivityIsOff(string name, string? inline, string? file, string? secret, string? problem)
    {
        var path = file is null ? null : Path.Combine(_directory, "signing-secret");
        if (file is not null and not "<missing>")
        {
            File.WriteAllText(path!, file);
        }

        var loaded = SlackSigningSecret.Load(new SlackOptions { SigningSecret = inline, SigningSecretFile = path });

        Assert.True(secret == loaded.Value, $"{name}: {loaded.Value}");
        Assert.Equal(secret is not null, loaded.IsConfigured);
        if (problem is null)
        {
            Assert.Null(loaded.Problem);
        }
        else
        {
            Assert.Contains(problem, loaded.Problem);
            Assert.StartsWith("Slack interactivity is off", loaded.Problem);
        }
    }

    [Theory]
    [InlineData(0, 60, "MaxVerificationFailures must be at least 1")]
    [InlineData(10, 0, "FailureWindowSeconds must be more than 0")]
    [InlineData(10, 100_000, "FailureWindowSeconds must be more than 0 and at most 86400")]
    public void Validate_NamesTheSetting_WhenOutOfRange(int maxFailures, double window, string error)
    {
        var errors = new SlackOptions { MaxVerificationFailures = maxFailures, FailureWindowSeconds = window }.Validate().ToList();

        Assert.Contains(errors, e => e.Contains(error, StringComparison.Ordinal) && e.StartsWith("AlertRelay:Slack:", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ReturnsNothing_ForTheDefaults() => Assert.Empty(new SlackOptions().Validate());
}
