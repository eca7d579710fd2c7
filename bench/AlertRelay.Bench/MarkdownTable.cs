namespace AlertRelay.Bench;

/// <summary>Prints a Markdown table padded so that it also reads well in a terminal; columns after the first three are right-aligned.</summary>
public static class MarkdownTable
{
    private const int TextColumns = 3;

    public static void Print(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = rows.ToList();
        var widths = headers.Select((h, i) => all.Select(r => r[i].Length).Append(h.Length).Append(3).Max()).ToArray();
        Console.WriteLine(Line(headers, widths));
        Console.WriteLine("|" + string.Join("|", widths.Select((w, i) => i < TextColumns ? " " + new string('-', w) + " " : " " + new string('-', w - 1) + ": ")) + "|");
        foreach (var row in all)
        {
            Console.WriteLine(Line(row, widths));
        }
    }

    private static string Line(IReadOnlyList<string> cells, int[] widths) =>
        "|" + string.Join("|", cells.Select((c, i) => " " + (i < TextColumns ? c.PadRight(widths[i]) : c.PadLeft(widths[i])) + " ")) + "|";
}
