using System.Diagnostics;
using AlertRelay.Core.Configuration;
using Xunit.Abstractions;

namespace AlertRelay.IntegrationTests.Configuration;

/// <summary>
/// Alertmanager's own configuration tests (config/testdata/*.yml and doc/examples/simple.yml, copied in AlertmanagerTestdata/ with
/// a NOTICE) through <c>amtool check-config</c> (0.25, Debian) and AlertRelay's loader: every file is accepted by both, refused by
/// both, or refused by AlertRelay with a clear reason (an unsupported receiver kind, templates, a field AlertRelay cannot honour).
/// Anything else is a disagreement, unless it is listed in <see cref="Justified"/> with its reason.
/// </summary>
public sealed class AmtoolAgreementTests(ITestOutputHelper output)
{
    /// <summary>How the two answers compare for one file.</summary>
    public enum Agreement
    {
        BothAccept,
        BothRefuse,

        /// <summary>amtool accepts; AlertRelay refuses, only with "not supported by AlertRelay" / "unsupported receiver kind" reasons.</summary>
        RefusedWithReason,

        /// <summary>amtool refuses; AlertRelay accepts (a bug unless justified).</summary>
        AmtoolOnlyRefuses,

        /// <summary>amtool accepts; AlertRelay refuses for another reason (a bug unless justified).</summary>
        AlertRelayOnlyRefuses,
    }

    private static readonly string Folder = Path.Combine(RepositoryFiles.Root, "AlertRelay.IntegrationTests", "Configuration", "AlertmanagerTestdata");

    /// <summary>
    /// Files where the answers differ for a reason: they use fields newer than amtool 0.25 (from the 0.34 snapshot) that AlertRelay
    /// reads as Alertmanager 0.34 does. Each is checked to be the listed kind of disagreement, so a fix shows here.
    /// </summary>
    private static readonly Dictionary<string, (Agreement Kind, string Why)> Justified = new(StringComparer.Ordinal)
    {
        ["conf.slack-default-app-token.yml"] = (Agreement.AmtoolOnlyRefuses,
            "slack_app_token, app_token and app_url are Alertmanager 0.30+; AlertRelay honours them (Web API) and accepts, as 0.34 does"),
        ["conf.smtp-password-global-and-local.yml"] = (Agreement.AmtoolOnlyRefuses,
            "smtp_auth_secret_file / auth_secret_file are Alertmanager 0.29+; AlertRelay accepts them with a warning (ignored), as 0.34 accepts them"),
    };

    public static TheoryData<string> Files() =>
        new(Directory.EnumerateFiles(Folder, "*.yml").Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(Files))]
    public async Task CheckConfig_AgreesWithAmtool(string file)
    {
        var (kind, amtool, relay) = await CompareAsync(file);
        output.WriteLine($"{file}: {kind}\namtool: {amtool}\nAlertRelay: {relay}");

        if (Justified.TryGetValue(file, out var justified))
        {
            Assert.True(justified.Kind == kind, $"{file} is listed as {justified.Kind} ({justified.Why}) but is now {kind}");
            return;
        }

        Assert.True(kind is Agreement.BothAccept or Agreement.BothRefuse or Agreement.RefusedWithReason,
            $"{file}: {kind}\namtool: {amtool}\nAlertRelay: {relay}");
    }

    [Fact]
    public async Task Agreement_IsCountedOverEveryFile()
    {
        var files = Directory.EnumerateFiles(Folder, "*.yml").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        var kinds = new List<Agreement>();
        foreach (var file in files)
        {
            kinds.Add((await CompareAsync(file!)).Kind);
        }

        var counts = kinds.GroupBy(k => k).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}");
        var agreeing = kinds.Count(k => k is Agreement.BothAccept or Agreement.BothRefuse or Agreement.RefusedWithReason);
        output.WriteLine($"amtool check-config vs AlertRelay on {files.Length} Alertmanager files: {agreeing} agree ({string.Join(", ", counts)}); "
            + $"justified exceptions: {string.Join(", ", Justified.Keys)}");

        Assert.True(files.Length >= 47, "the copied testdata is incomplete");
        Assert.Equal(files.Length - Justified.Count, agreeing);
    }

    [Fact]
    public void NilRegexFiles_AreRefused_AsInvalidRegexps()
    {
        foreach (var file in new[] { "conf.nil-match_re-route.yml", "conf.nil-source_match_re-inhibition.yml", "conf.nil-target_match_re-inhibition.yml" })
        {
            var ex = Assert.Throws<ConfigException>(() => RelayConfigLoader.Load(Path.Combine(Folder, file)));
            Assert.Contains(ex.Errors, e => e.Message.StartsWith("invalid regexp value for ", StringComparison.Ordinal) && e.Line > 0);
        }
    }

    private static async Task<(Agreement Kind, string Amtool, string Relay)> CompareAsync(string file)
    {
        var amtool = await RunAmtoolAsync(file);

        // AlertRelay reads *_file settings when it sends, not when it loads, so the working directory does not change the answer;
        // amtool runs in the folder so that its relative paths resolve there.
        string relay;
        bool relayAccepts;
        var reasoned = false;
        try
        {
            var config = RelayConfigLoader.Load(Path.Combine(Folder, file));
            relayAccepts = true;
            relay = $"SUCCESS, {config.Warnings.Count} warnings";
        }
        catch (ConfigException ex)
        {
            relayAccepts = false;
            reasoned = ex.Errors.All(e => e.Message.StartsWith("not supported by AlertRelay: ", StringComparison.Ordinal)
                || e.Message.StartsWith("unsupported receiver kind ", StringComparison.Ordinal));
            relay = string.Join(" | ", ex.Errors.Select(e => $"{e.Line}: {e.Path}: {e.Message}"));
        }

        var kind = (amtool.Accepts, relayAccepts) switch
        {
            (true, true) => Agreement.BothAccept,
            (false, false) => Agreement.BothRefuse,
            (false, true) => Agreement.AmtoolOnlyRefuses,
            (true, false) => reasoned ? Agreement.RefusedWithReason : Agreement.AlertRelayOnlyRefuses,
        };
        return (kind, amtool.Output, relay);
    }

    private static async Task<(bool Accepts, string Output)> RunAmtoolAsync(string file)
    {
        var info = new ProcessStartInfo(DebianTool.Amtool.Locate())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Folder,
        };
        info.ArgumentList.Add("check-config");
        info.ArgumentList.Add(file);
        var home = Path.Combine(Path.GetTempPath(), "alertrelay-tests", "monitoring-home");
        Directory.CreateDirectory(home);
        info.Environment["HOME"] = home; // amtool reads its own configuration from the home directory

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        var text = (await stdout + await stderr).ReplaceLineEndings(" ").Trim();
        Assert.True(process.ExitCode == 0 == text.Contains("SUCCESS", StringComparison.Ordinal), $"amtool check-config {file}: unexpected answer {text}");
        return (process.ExitCode == 0, text);
    }
}
