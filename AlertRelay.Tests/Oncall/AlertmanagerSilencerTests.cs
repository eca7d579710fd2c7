using AlertRelay.Core.Oncall;

namespace AlertRelay.Tests.Oncall;

/// <summary>The silencer against loopback Alertmanagers speaking API v2, on a real SQLite history and a fake clock.</summary>
public sealed class AlertmanagerSilencerTests : IAsyncLifetime
{
    private static readonly Actor Alice = new("Alice", ActorSources.Slack, "U0ALICE01");
    private SilenceRig _rig = null!;

    public async Task InitializeAsync() => _rig = await SilenceRig.StartAsync();

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    private DateTimeOffset Now => _rig.Time.GetUtcNow();

    [Fact]
    public async Task SilenceAsync_CreatesTheSilenceInTheFirstAlertmanagerThatAnswers_WithTheLabelsNotExcluded()
    {
        var result = await _rig.Silencer(excluded: ["instance"]).SilenceAsync(_rig.Firing, Alice, TimeSpan.FromHours(1), null, Now, default);

        Assert.Equal(OncallOutcome.Done, result.Outcome);
        var created = Assert.Single(_rig.Alertmanager.Silences);
        Assert.Equal(created.Id, result.SilenceId);
        Assert.Equal([("alertname", "DiskFull", false, true), ("severity", "critical", false, true)], created.Matchers);
        Assert.Equal(("Alice", SilenceRig.T0.AddHours(1)), (created.CreatedBy, created.EndsAt));
        Assert.Equal($"Silenced from AlertRelay (alert {_rig.Firing}) by Alice via slack", created.Comment);
        Assert.Equal(new ActiveSilence(created.Id, "Alice", SilenceRig.T0.AddHours(1)), (await _rig.Store.Silences.FindAsync(_rig.Firing, default)).Silence);
        Assert.Equal(["silenced"], await _rig.TimelineAsync(_rig.Firing));
    }

    [Fact]
    public async Task SilenceAsync_TwoRequestsAtOnce_CreateOneSilence_AndTheSecondIsAlreadyDone()
    {
        var silencer = _rig.Silencer(urls: [_rig.Alertmanager.Url]);
        _rig.Alertmanager.HoldCreates();

        var first = silencer.SilenceAsync(_rig.Firing, Alice, TimeSpan.FromHours(1), "mine", Now, default);
        await Eventually.UntilAsync(() => _rig.Alertmanager.Requests.Any(r => r.Method == "POST"), TimeSpan.FromSeconds(10), "the first silence request");
        var second = await silencer.SilenceAsync(_rig.Firing, new Actor("Bob", ActorSources.Link), TimeSpan.FromHours(2), null, Now, default);
        _rig.Alertmanager.ReleaseCreates();
        var done = await first;
        var third = await silencer.SilenceAsync(_rig.Firing, new Actor("Carol", ActorSources.Api), TimeSpan.FromHours(1), null, Now, default);

        Assert.Equal((OncallOutcome.Done, OncallOutcome.AlreadyDone, OncallOutcome.AlreadyDone), (done.Outcome, second.Outcome, third.Outcome));
        Assert.Null(second.SilenceId);
        Assert.Equal(done.SilenceId, third.SilenceId);
        Assert.Single(_rig.Alertmanager.Silences);
        Assert.Single(_rig.Alertmanager.Requests, r => r.Method == "POST");
        Assert.Equal(["silenced"], await _rig.TimelineAsync(_rig.Firing));
    }

    [Fact]
    public async Task SilenceAsync_ExpiresItsDuplicate_WhenItsClaimLapsedAndAnotherRequestTookTheSlot()
    {
        var silencer = _rig.Silencer(urls: [_rig.Alertmanager.Url]);
        _rig.Alertmanager.HoldCreates();
        var late = silencer.SilenceAsync(_rig.Firing, Alice, TimeSpan.FromHours(1), null, Now, default);
        await Eventually.UntilAsync(() => _rig.Alertmanager.Requests.Count(r => r.Method == "POST") == 1, TimeSpan.FromSeconds(10), "the first request at Alertmanager");

        // Past the claim (every URL's timeout + the margin): the slot is free for another request.
        var later = Now + TimeSpan.FromSeconds(5) + AlertmanagerSilencer.ClaimMargin;
        var taker = silencer.SilenceAsync(_rig.Firing, new Actor("Bob", ActorSources.Api), TimeSpan.FromHours(1), null, later, default);
        await Eventually.UntilAsync(() => _rig.Alertmanager.Requests.Count(r => r.Method == "POST") == 2, TimeSpan.FromSeconds(10), "the second request at Alertmanager");
        _rig.Alertmanager.ReleaseCreates();
        var results = await Task.WhenAll(late, taker);

        Assert.Equal((OncallOutcome.AlreadyDone, OncallOutcome.Done), (results[0].Outcome, results[1].Outcome));
        var kept = (await _rig.Store.Silences.FindAsync(_rig.Firing, default)).Silence!;
        Assert.Equal((results[1].SilenceId, "Bob"), (kept.Id, kept.By));
        Assert.Equal(["active", "expired"], _rig.Alertmanager.Silences.OrderBy(s => s.Id != kept.Id).Select(s => s.State(later)));
        Assert.Equal(["silenced"], await _rig.TimelineAsync(_rig.Firing));
    }

    [Fact]
    public async Task SilenceAsync_ReturnsUnavailable_RecordsNothing_AndFreesTheSlot_WhenNoAlertmanagerAnswers()
    {
        var dead = SilenceRig.DeadUrl();
        var silencer = _rig.Silencer(urls: [dead, _rig.Alertmanager.Url]);
        _rig.Alertmanager.FailAll(503);

        var refused = await silencer.SilenceAsync(_rig.Firing, Alice, TimeSpan.FromHours(1), null, Now, default);
        _rig.Alertmanager.Recover();
        var retried = await silencer.SilenceAsync(_rig.Firing, Alice, TimeSpan.FromHours(1), null, Now, default);

        Assert.Equal(OncallOutcome.Unavailable, refused.Outcome);
        Assert.Contains(dead, refused.Message);
        Assert.Contains($"{_rig.Alertmanager.Url}: 503", refused.Message);
        Assert.Equal(OncallOutcome.Done, retried.Outcome);
        Assert.Equal(["silenced"], await _rig.TimelineAsync(_rig.Firing));
    }

    [Fact]
    public async Task SilenceAsync_StopsAtA4xx_WithoutTryingTheNextAlertmanager()
    {
        await using var other = await AlertmanagerStub.StartAsync(_rig.Time);
        _rig.Alertmanager.FailAll(400);

        var result = await _rig.Silencer(urls: [_rig.Alertmanager.Url, other.Url]).SilenceAsync(_rig.Firing, Alice, TimeSpan.FromHours(1), null, Now, default);

        Assert.Equal(OncallOutcome.Unavailable, result.Outcome);
        Assert.Contains("refused the request: 400 (stub: failing on demand)", result.Message);
        Assert.Empty(other.Requests);
        Assert.Null((await _rig.Store.Silences.FindAsync(_rig.Firing, default)).Silence);
    }

    [Fact]
    public async Task SilenceAsync_RefusesWithoutCallingAlertmanager_WhenUnknownResolvedOrEveryLabelIsExcluded()
    {
        var silencer = _rig.Silencer(excluded: ["alertname", "severity", "instance"]);

        var unknown = await silencer.SilenceAsync(999_999, Alice, TimeSpan.FromHours(1), null, Now, default);
        var resolved = await silencer.SilenceAsync(_rig.Resolved, Alice, TimeSpan.FromHours(1), null, Now, default);
        var everything = await silencer.SilenceAsync(_rig.Firing, Alice, TimeSpan.FromHours(1), null, Now, default);
        var tooLong = await silencer.SilenceAsync(_rig.Firing, Alice, TimeSpan.FromDays(8), null, Now, default);

        Assert.Equal([OncallOutcome.NotFound, OncallOutcome.AlreadyResolved, OncallOutcome.Unavailable, OncallOutcome.Unavailable],
            new[] { unknown.Outcome, resolved.Outcome, everything.Outcome, tooLong.Outcome });
        Assert.Contains("SilenceExcludedLabels", everything.Message);
        Assert.Empty(_rig.Alertmanager.Requests);
    }

    [Fact]
    public async Task SilenceAsync_CreatesANewSilence_WhenTheRecordedOneWasExpiredInAlertmanager()
    {
        var silencer = _rig.Silencer();
        var first = await silencer.SilenceAsync(_rig.Firing, Alice, TimeSpan.FromHours(1), null, Now, default);
        _rig.Alertmanager.ExpireNow(first.SilenceId!);

        var second = await silencer.SilenceAsync(_rig.Firing, Alice, TimeSpan.FromHours(1), null, Now, default);

        Assert.Equal(OncallOutcome.Done, second.Outcome);
        Assert.NotEqual(first.SilenceId, second.SilenceId);
        Assert.Equal(["silenced", "unsilenced:deleted in Alertmanager", "silenced"], await _rig.TimelineAsync(_rig.Firing));
    }

    [Fact]
    public async Task UnsilenceAsync_ExpiresTheSilenceInAlertmanager_AndRecordsWho_ThenSaysNotSilenced()
    {
        var silencer = _rig.Silencer();
        var created = await silencer.SilenceAsync(_rig.Firing, Alice, TimeSpan.FromHours(1), null, Now, default);
        _rig.Time.Advance(TimeSpan.FromMinutes(5));

        var result = await silencer.UnsilenceAsync(_rig.Firing, new Actor("bob", ActorSources.Api), Now, default);
        var again = await silencer.UnsilenceAsync(_rig.Firing, new Actor("bob", ActorSources.Api), Now, default);

        Assert.Equal((OncallOutcome.Done, OncallOutcome.NotInThatState), (result.Outcome, again.Outcome));
        Assert.Equal("expired", _rig.Alertmanager.Silences.Single(s => s.Id == created.SilenceId).State(Now));
        Assert.Contains(_rig.Alertmanager.Requests, r => r.Method == "DELETE" && r.Path == $"/api/v2/silence/{created.SilenceId}");
        Assert.Equal(["silenced", "unsilenced:unsilenced"], await _rig.TimelineAsync(_rig.Firing));
    }

    [Fact]
    public async Task UnsilenceAsync_RecordsTheEnd_WhenAlertmanagerNoLongerKnowsTheSilence()
    {
        var silencer = _rig.Silencer();
        var created = await silencer.SilenceAsync(_rig.Firing, Alice, TimeSpan.FromHours(1), null, Now, default);
        _rig.Alertmanager.Forget(created.SilenceId!); // DELETE answers 500 "silence not found", as 0.25 does

        var result = await silencer.UnsilenceAsync(_rig.Firing, Alice, Now, default);

        Assert.Equal(OncallOutcome.Done, result.Outcome);
        Assert.Null((await _rig.Store.Silences.FindAsync(_rig.Firing, default)).Silence);
    }

    [Fact]
    public async Task UnsilenceAsync_ReturnsUnavailable_AndKeepsTheSilence_WhenNoAlertmanagerAnswers()
    {
        var silencer = _rig.Silencer();
        var created = await silencer.SilenceAsync(_rig.Firing, Alice, TimeSpan.FromHours(1), null, Now, default);
        _rig.Alertmanager.FailAll(502);

        var result = await silencer.UnsilenceAsync(_rig.Firing, Alice, Now, default);

        Assert.Equal(OncallOutcome.Unavailable, result.Outcome);
        Assert.Equal(created.SilenceId, (await _rig.Store.Silences.FindAsync(_rig.Firing, default)).Silence?.Id);
        Assert.Equal(["silenced"], await _rig.TimelineAsync(_rig.Firing));
    }
}
