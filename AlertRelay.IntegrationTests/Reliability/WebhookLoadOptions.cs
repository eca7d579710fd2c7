namespace AlertRelay.IntegrationTests.Reliability;

/// <summary>How a <see cref="WebhookLoad"/> posts: how many posters, alerts per body, which alerts notify, pace and resolves.</summary>
public sealed record WebhookLoadOptions
{
    /// <summary>Start of every alert name, unique per test run.</summary>
    public required string Prefix { get; init; }

    public int Posters { get; init; } = 8;

    public int AlertsPerBody { get; init; } = 10;

    /// <summary>Every n-th alert of a body carries the notify label (1: all of them).</summary>
    public int NotifyEvery { get; init; } = 1;

    /// <summary>After each accepted firing body, the poster also posts its previous body as resolved.</summary>
    public bool ResolveAfterFiring { get; init; }

    /// <summary>Pause of each poster between bodies; zero posts at full speed.</summary>
    public TimeSpan Pause { get; init; } = TimeSpan.Zero;

    public DateTimeOffset StartsAt { get; init; } = DateTimeOffset.UtcNow.AddMinutes(-1);
}
