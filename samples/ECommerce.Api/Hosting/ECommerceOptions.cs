using ECommerce.Api.Faults;

namespace ECommerce.Api.Hosting;

/// <summary>The shop's settings, bound to the <c>ECommerce</c> configuration section.</summary>
public sealed class ECommerceOptions
{
    public const string SectionName = "ECommerce";

    /// <summary>SQLite connection string; <c>Data Source=:memory:</c> keeps the shop in memory (fresh on each start).</summary>
    public string ConnectionString { get; set; } = "Data Source=:memory:";

    /// <summary>Bearer token for <c>/admin/*</c>; when empty those endpoints answer only loopback clients.</summary>
    public string AdminToken { get; set; } = "";

    /// <summary>How long a login token stays valid.</summary>
    public int TokenLifetimeMinutes { get; set; } = 60;

    /// <summary>PBKDF2-SHA256 iterations for passwords hashed at seeding (verification reads the count from each hash).</summary>
    public int PasswordIterations { get; set; } = 100_000;

    /// <summary>How many demo users (user001, user002, ...) an empty database is seeded with.</summary>
    public int SeedUsers { get; set; } = 50;

    /// <summary>The password every seeded demo user gets.</summary>
    public string SeedPassword { get; set; } = "demo-password";

    /// <summary>How often products that ran low are refilled to their restock level; 0 turns restocking off.</summary>
    public int RestockIntervalSeconds { get; set; } = 60;

    /// <summary>Faults injected from start-up (changeable at run time through <c>PUT /admin/faults</c>).</summary>
    public FaultSettings Faults { get; set; } = new();

    /// <summary>Every problem with these settings, as "Key: problem" lines.</summary>
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return $"{SectionName}:ConnectionString: must not be empty";
        }

        if (TokenLifetimeMinutes is < 1 or > 60 * 24 * 30)
        {
            yield return $"{SectionName}:TokenLifetimeMinutes: {TokenLifetimeMinutes} is outside 1..43200";
        }

        if (PasswordIterations is < 1_000 or > 10_000_000)
        {
            yield return $"{SectionName}:PasswordIterations: {PasswordIterations} is outside 1000..10000000";
        }

        if (SeedUsers is < 0 or > 10_000)
        {
            yield return $"{SectionName}:SeedUsers: {SeedUsers} is outside 0..10000";
        }

        if (SeedUsers > 0 && string.IsNullOrEmpty(SeedPassword))
        {
            yield return $"{SectionName}:SeedPassword: must not be empty when users are seeded";
        }

        if (RestockIntervalSeconds < 0)
        {
            yield return $"{SectionName}:RestockIntervalSeconds: {RestockIntervalSeconds} must be 0 (off) or more";
        }

        foreach (var (key, problem) in Faults.Validate())
        {
            yield return $"{SectionName}:Faults:{key}: {problem}";
        }
    }
}
