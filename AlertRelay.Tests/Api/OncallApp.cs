using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AlertRelay.Tests.Api;

/// <summary>The real host with a configuration file holding the schedule (Europe/Paris, weekly 09:00, dave's override) and a fake clock.</summary>
public sealed class OncallApp : IDisposable
{
    public const string Yaml = """
        route:
          receiver: oncall:primary
        receivers:
          - name: oncall-slack
            slack_configs: [{channel: '#oncall', bot_token: xoxb-test}]
            email_configs: [{to: oncall@example.com, from: alertrelay@example.com, smarthost: 'localhost:25'}]
        participants:
          - {name: alice, email: alice@example.com, slack_user_id: U0ALICE01}
          - {name: bob, email: bob@example.com}
          - {name: carol, email: carol@example.com}
          - {name: dave, slack_user_id: U0DAVE01}
        oncall_schedules:
          - name: primary
            timezone: Europe/Paris
            receiver: oncall-slack
            rotation:
              start: 2026-01-05T09:00
              length: 1w
              participants: [alice, bob, carol]
            overrides:
              - participant: dave
                from: 2026-03-28T18:00
                to: 2026-03-30T09:00
          - name: secondary
            timezone: Australia/Lord_Howe
            receiver: oncall-slack
            rotation: {start: 2026-01-01T02:00, length: 1d, participants: [bob, carol]}
        """;

    private readonly string _configPath;
    private readonly AlertRelayApp _app;

    public OncallApp(DateTimeOffset now)
    {
        _configPath = Path.Combine(Path.GetTempPath(), "alertrelay-tests", Guid.NewGuid().ToString("N") + ".yml");
        Directory.CreateDirectory(Path.GetDirectoryName(_configPath)!);
        File.WriteAllText(_configPath, Yaml);
        Time = new FakeTimeProvider(now);
        _app = new AlertRelayApp(new() { ["AlertRelay:ConfigFile"] = _configPath });
        Factory = _app.WithWebHostBuilder(builder => builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Time)));
    }

    public FakeTimeProvider Time { get; }

    public WebApplicationFactory<Program> Factory { get; }

    /// <summary>A client sending the read token as a bearer header.</summary>
    public HttpClient Reader()
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", AlertRelayApp.ReadToken);
        return client;
    }

    /// <summary>A client sending no header, as a calendar application does.</summary>
    public HttpClient Anonymous() => Factory.CreateClient();

    public void Dispose()
    {
        _app.Dispose();
        File.Delete(_configPath);
    }
}
