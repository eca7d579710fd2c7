using System.Text;
using System.Text.RegularExpressions;
using AlertRelay.Core.Configuration;

namespace AlertRelay.Tests.Configuration;

/// <summary>README.md's "Alertmanager configuration: what is honoured" table is <see cref="AlertmanagerFields"/>, row for row.</summary>
public sealed class ReadmeFieldTableTests
{
    private const string Section = "## Alertmanager configuration: what is honoured";

    /// <summary>The table as the README must show it.</summary>
    public static string Table()
    {
        var table = new StringBuilder("| block | field | AlertRelay | why, or how |\n| --- | --- | --- | --- |\n");
        foreach (var f in AlertmanagerFields.All)
        {
            var handling = f.Handling switch
            {
                FieldHandling.Honoured => "honoured",
                FieldHandling.Ignored => "ignored (warning)",
                _ => "refused (error)",
            };
            table.Append($"| {f.Block} | `{f.Field}` | {handling} | {f.Note.Replace("|", "\\|", StringComparison.Ordinal)} |\n");
        }

        return table.ToString();
    }

    [Fact]
    public void FieldTable_IsTheReadersList()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryFiles.Root, "README.md")).ReplaceLineEndings("\n");
        var section = Regex.Match(readme, Regex.Escape(Section) + "\n(.*?)(?=\n## )", RegexOptions.Singleline);
        Assert.True(section.Success, $"README.md has no section \"{Section}\"");
        var table = Regex.Match(section.Groups[1].Value, @"^\| block \|.*?\n(?!\|)", RegexOptions.Singleline | RegexOptions.Multiline);
        Assert.True(table.Success, "the section has no field table");

        var expected = Table();
        if (table.Value != expected)
        {
            var path = Path.Combine(Path.GetTempPath(), "alertrelay-readme-field-table.md");
            File.WriteAllText(path, expected);
            Assert.Fail($"README.md's field table differs from AlertmanagerFields; the expected table is in {path}");
        }
    }
}
