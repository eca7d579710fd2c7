using AlertRelay.Core.History;

namespace AlertRelay.Tests.History;

/// <summary>A setting the chosen engine does not use is named at start-up, never ignored silently.</summary>
public class DatabaseOptionsTests
{
    public static TheoryData<string, DatabaseOptions, string[]> Cases => new()
    {
        { "SQLite defaults", new DatabaseOptions(), [] },
        { "PostgreSQL, SQLite settings at their defaults (appsettings.json has them)", new DatabaseOptions { Provider = "postgres", ConnectionString = "Host=db" }, [] },
        { "PostgreSQL with a SQLite path and synchronous", new DatabaseOptions { Provider = "postgres", ConnectionString = "Host=db", Path = "/var/lib/a.db", Synchronous = "NORMAL" },
            ["AlertRelay:Database:Path (/var/lib/a.db)", "AlertRelay:Database:Synchronous (NORMAL)"] },
        { "a connection string without Provider=postgres", new DatabaseOptions { ConnectionString = "Host=db" }, ["set AlertRelay:Database:Provider=postgres"] },
        { "a pool size on SQLite", new DatabaseOptions { MaxPoolSize = 50 }, ["AlertRelay:Database:MaxPoolSize (50)"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Unused_NamesEverySettingTheEngineDoesNotUse(string name, DatabaseOptions options, string[] expected)
    {
        var unused = options.Unused().ToList();

        Assert.True(expected.Length == unused.Count, $"{name}: {string.Join(" | ", unused)}");
        Assert.All(expected.Zip(unused), pair => Assert.Contains(pair.First, pair.Second, StringComparison.Ordinal));
    }
}
