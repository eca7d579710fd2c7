using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Escalation;
using AlertRelay.Core.Ingest;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Notify.Email;
using AlertRelay.Core.Notify.Slack;
using AlertRelay.Core.Oncall;
using AlertRelay.Tests.Notify;
using AlertRelay.Tests.TestData;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AlertRelay.Tests.Escalation;

/// <summary>
/// A reminder from the store to the receivers, on each engine: the real Slack and e-mail notifiers send the firing alert to a
/// loopback Slack (<see cref="SlackStub"/>) and SMTP server (<see cref="SmtpSink"/>), the scheduler queues a reminder 15 minutes
/// later, and it arrives as a reply in the Slack thread and as a reply to the firing mail.
/// </summary>
public abstract class ReminderDeliveryContract : StoreContract, IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static readonly Alert Critical = new(
        Fingerprint.Of(LabelSet.From(("alertname", "DiskFull"), ("severity", "critical"))), AlertStatus.Firing,
        LabelSet.From(("alertname", "DiskFull"), ("severity", "critical")), LabelSet.From(("summary", "/var is 97% full")), T0, null, "");

    private readonly FakeTimeProvider _time = new(T0);
    private readonly Clients _http = new();
    private SlackStub _slack = null!;
    private SmtpSink _smtp = null!;
    private RelayConfig _config = null!;

    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        _slack = await SlackStub.StartAsync();
        _smtp = await SmtpSink.StartAsync();
        _config = RelayConfigLoader.LoadFromYaml($"""
            route:
              receiver: oncall
            receivers:
              - name: oncall
                slack_configs:
                  - channel: '#oncall'
                    bot_token: {_slack.Token}
                    api_base_url: {_slack.BaseUrl}
                email_configs:
                  - to: oncall@example.com
                    from: AlertRelay <relay@example.com>
                    smarthost: {_smtp.Smarthost}
                    require_tls: false
            escalations:
              - name: remind
                repeat: [15m, 30m]
            """, "alertrelay.yml");
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await _slack.DisposeAsync();
        await _smtp.DisposeAsync();
        _http.Dispose();
        await DisposeAsync();
    }

    private OutboxDispatcher Dispatcher()
    {
        var options = new NotifyOptions { InitialBackoffSeconds = 1 };
        return TestDispatcher.Create(Store.Outbox, _config, _time, options, Store.Signal,
            new SlackNotifier(_http, Options.Create(options), NullLogger<SlackNotifier>.Instance),
            new EmailNotifier(_time, Options.Create(options), NoAlertLinks.Instance));
    }

    private EscalationScheduler Scheduler() =>
        new(Store.Escalations, RelayConfigProvider.Fixed(_config, _time, NullLogger.Instance), Store.Signal, _time, NullLogger<EscalationScheduler>.Instance);

    /// <summary>Fires the alert and delivers its notifications, then lets 15 minutes pass: the first reminder is queued and delivered.</summary>
    private async Task FireAndRemindAsync()
    {
        await using (var running = new RunningWriter(Store.CreateWriter(_time, config: _config)))
        {
            await running.SubmitAsync(new WebhookMessage("relay", AlertStatus.Firing, "g", 0, LabelSet.Empty, LabelSet.Empty, LabelSet.Empty, "", [Critical]));
        }

        await Dispatcher().TurnAsync();
        _time.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal(1, await Scheduler().RunOnceAsync(default));
        Assert.Equal(2, await Dispatcher().TurnAsync());
    }

    [Fact]
    public async Task Reminder_RepliesInTheSlackThread_OfTheFiringMessage()
    {
        await FireAndRemindAsync();

        var firing = Assert.Single(_slack.TopLevelMessages);
        Assert.StartsWith("[FIRING:1] DiskFull critical", firing.Text);
        var reply = Assert.Single(firing.Replies);
        Assert.Equal(":bell: Reminder 1: still firing and unacknowledged for 15m — DiskFull", reply.Text);
        Assert.Equal(0, firing.UpdateCount);
    }

    [Fact]
    public async Task Reminder_RepliesToTheFiringMail_WithInReplyToAndReferences()
    {
        await FireAndRemindAsync();

        Assert.Equal(2, _smtp.Messages.Count);
        var (firing, reminder) = (_smtp.Messages[0].Message, _smtp.Messages[1].Message);
        Assert.Equal(firing.MessageId, reminder.InReplyTo);
        Assert.Equal([firing.MessageId!], reminder.References);
        Assert.Equal("Re: " + firing.Subject, reminder.Subject);
        Assert.Contains("Reminder 1: still firing and unacknowledged for 15m — DiskFull.", reminder.TextBody);
    }

    /// <summary>The host's client factory, reduced to plain clients (the notifier sets each one's timeout), disposed with the test.</summary>
    private sealed class Clients : IHttpClientFactory, IDisposable
    {
        private readonly List<HttpClient> _made = [];

        public HttpClient CreateClient(string name)
        {
            var client = new HttpClient();
            lock (_made)
            {
                _made.Add(client);
            }

            return client;
        }

        public void Dispose() => _made.ForEach(c => c.Dispose());
    }
}

public sealed class ReminderDeliveryOnSqlite : ReminderDeliveryContract
{
    protected override Task<TestStore> CreateStoreAsync() => SqliteTestStore.CreateAsync();
}

public sealed class ReminderDeliveryOnPostgres : ReminderDeliveryContract
{
    protected override Task<TestStore> CreateStoreAsync() => PostgresTestStore.CreateAsync();
}
