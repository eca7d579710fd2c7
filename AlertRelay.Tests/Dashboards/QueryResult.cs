namespace AlertRelay.Tests.Dashboards;

/// <summary>The rows a query returned, as the engine typed them (SQLite: long, double, string or null).</summary>
public sealed record QueryResult(IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows)
{
    /// <summary>Reads every row of <paramref name="reader"/>.</summary>
    public static QueryResult Read(System.Data.Common.DbDataReader reader)
    {
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return new QueryResult(columns, rows);
    }

    public int Index(string column)
    {
        var index = Columns.ToList().IndexOf(column);
        Assert.True(index >= 0, $"no column {column} in [{string.Join(", ", Columns)}]");
        return index;
    }

    public IReadOnlyList<object?> Column(string column)
    {
        var index = Index(column);
        return Rows.Select(r => r[index]).ToList();
    }

    public object? Single(string column)
    {
        Assert.Single(Rows);
        return Rows[0][Index(column)];
    }

    /// <summary>The rows projected on <paramref name="columns"/>, for comparing whole tables.</summary>
    public IReadOnlyList<object?[]> Project(params string[] columns)
    {
        var indexes = columns.Select(Index).ToArray();
        return Rows.Select(r => indexes.Select(i => r[i]).ToArray()).ToList();
    }
}
