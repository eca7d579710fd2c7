using AlertRelay.Core.Oncall;
using Microsoft.Extensions.Logging;

namespace AlertRelay.Tests.Oncall;

/// <summary>The watcher on a fake clock against a loopback Alertmanager: what ended, why, and what it leaves alone.</summary>
public sealed class SilenceWatcherTests : IAsyncLifetime
{
    private static readonly Actor Alice = new("Alice", ActorSources.Api);
    private SilenceRig _rig = null!;

    public async Task InitializeAsync() => _rig = await SilenceRig.StartAsync();

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    private async Task<string> SilenceAsync(TimeSpan duration) =>
        (await _rig.Silencer().SilenceAsync(_rig.Firing, Alice, duration, null, _rig.Time.GetUtcNow(), default)).SilenceId!;

    [Fact]
    public async Task RunOnceAsync_KeepsAnActiveSilence()
    {
        await SilenceAsync(TimeSpan.FromHours(1));
        _rig.Time.Advance(TimeSpan.FromMinutes(30));

        Assert.Equal(0, await _rig.Watcher().RunOnceAsync(default));
        Assert.NotNull((await _rig.Store.Silences.FindAsync(_rig.Firing, default)).Silence);
    }

    [Fact]
    public async Task RunOnceAsync_ClearsAsExpiredWithoutAsking_OnceTheSilenceIsPastItsEnd()
    {
        await SilenceAsync(TimeSpan.FromHours(1));
        _rig.Time.Advance(TimeSpan.FromHours(1));
        var asked = _rig.Alertmanager.Requests.Count;

        var ended = await _rig.Watcher().RunOnceAsync(default);

        Assert.Equal(1, ended);
        Assert.Equal(asked, _rig.Alertmanager.Requests.Count);
        Assert.Equal(["silenced", "unsilenced:expired"], await _rig.TimelineAsync(_rig.Firing));
    }

    [Fact]
    public async Task RunOnceAsync_ClearsAsDeleted_WhenAlertmanagerSaysExpiredEarly()
    {
        var id = await SilenceAsync(TimeSpan.FromHours(1));
        _rig.Time.Advance(TimeSpan.FromMinutes(10));
        _rig.Alertmanager.ExpireNow(id);

        Assert.Equal(1, await _rig.Watcher().RunOnceAsync(default));
        Assert.Equal(["silenced", "unsilenced:deleted in Alertmanager"], await _rig.TimelineAsync(_rig.Firing));
    }

    [Fact]
    public async Task RunOnceAsync_ClearsAsDeleted_WhenAlertmanagerAnswers404()
    {
        var id = await SilenceAsync(TimeSpan.FromHours(1));
        _rig.Alertmanager.Forget(id);

        Assert.Equal(1, await _rig.Watcher().RunOnceAsync(default));
        Assert.Equal(["silenced", "unsilenced:deleted in Alertmanager"], await _rig.TimelineAsync(_rig.Firing));
    }

    [Fact]
    public async Task RunOnceAsync_LeavesSilencesAndWarnsOnce_WhileNoAlertmanagerAnswers()
    {
        await SilenceAsync(TimeSpan.FromHours(1));
        var watcher = _rig.Watcher();
        _rig.Alertmanager.FailAll(503);

        var first = await watcher.RunOnceAsync(default);
        _rig.Time.Advance(TimeSpan.FromSeconds(30));
        var second = await watcher.RunOnceAsync(default);

        Assert.Equal((0, 0), (first, second));
        Assert.NotNull((await _rig.Store.Silences.FindAsync(_rig.Firing, default)).Silence);
        Assert.Single(_rig.Logs.GetSnapshot(), r => r.Level == LogLevel.Warning && r.Message.Contains("Silences not checked"));
    }

    public static TheoryData<string, int, AlertmanagerAnswerKind?, string?, string?> Verdicts => new()
    {
        { "active in Alertmanager", 600, AlertmanagerAnswerKind.Ok, "active", null },
        { "pending in Alertmanager", 600, AlertmanagerAnswerKind.Ok, "pending", null },
        { "expired early in Alertmanager", 600, AlertmanagerAnswerKind.Ok, "expired", SilenceEnd.Deleted },
        { "expired within the clock tolerance of its end", 5, AlertmanagerAnswerKind.Ok, "expired", SilenceEnd.Expired },
        { "unknown to Alertmanager", 600, AlertmanagerAnswerKind.NotFound, null, SilenceEnd.Deleted },
        { "Alertmanager unreachable", 600, AlertmanagerAnswerKind.Unreachable, null, null },
        { "Alertmanager refusing", 600, AlertmanagerAnswerKind.Refused, null, null },
        { "not asked", 600, null, null, null },
        { "past its end, Alertmanager unreachable", 0, AlertmanagerAnswerKind.Unreachable, null, SilenceEnd.Expired },
        { "past its end, not asked", -1, null, null, SilenceEnd.Expired },
    };

    [Theory]
    [MemberData(nameof(Verdicts))]
    public void Verdict_SaysWhetherAndWhyTheSilenceEnded(string name, int endsInSeconds, AlertmanagerAnswerKind? kind, string? state, string? expected)
    {
        var now = SilenceRig.T0;
        var silence = new ActiveSilence("id", "Alice", now.AddSeconds(endsInSeconds));
        var answer = kind is { } k ? new AlertmanagerAnswer(k, state, "") : null;

        Assert.True(expected == SilenceWatcher.Verdict(silence, now, answer)?.Reason, name);
    }
}
