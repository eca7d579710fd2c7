using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.History;
using AlertRelay.Core.Ingest;
using AlertRelay.Tests.Alerts;
using AlertRelay.Tests.TestData;
using CsCheck;
using Microsoft.Extensions.Time.Testing;

namespace AlertRelay.Tests.Ingest;

/// <summary>
/// Random webhook sequences over a few alert identities, run through the real ingest pipeline on each store (a real SQLite
/// file; a PostgreSQL database), against <see cref="HistoryModel"/>: a plain restatement of the dedup rules (docs/schema.md, the README's
/// "How it works"). Only the public API is used (SubmitAsync, AlertQueries), so the test holds across rewrites of
/// the pipeline's internals. Each sequence gets its own label namespace on one shared database.
/// </summary>
public abstract class IngestModelPropertyContract : StoreContract
{
    private const string RunLabel = "property_run";

    private static readonly DateTimeOffset FirstStart = new(2026, 11, 24, 22, 32, 30, 253, TimeSpan.Zero);

    /// <summary>The startsAt values an identity can have: a few, so that re-fires and stale copies are frequent.</summary>
    private static readonly long[] Starts = [.. Enumerable.Range(0, 3).Select(i => UnixMillis.From(FirstStart.AddMinutes(7 * i).AddMilliseconds(111 * i)))];

    /// <summary>The label sets (without the run's namespace label) of the identities.</summary>
    private static readonly (string Name, string Value)[][] Identities =
    [
        [("alertname", "DiskFull"), ("instance", "db-1"), ("severity", "warning")],
        [("alertname", "DiskFull"), ("instance", "db-2"), ("severity", "warning")],
        [("alertname", "HighErrorRate"), ("severity", "critical")],
    ];

    /// <summary>Annotation variants; the last differs from the second only by an extra empty value.</summary>
    private static readonly (string Name, string Value)[][] AnnotationVariants =
    [
        [],
        [("summary", "Disk 91% full")],
        [("summary", "Disk 97% full"), ("description", "/var/lib/postgresql on db-1")],
        [("summary", "Disk 91% full"), ("description", "")],
    ];

    /// <summary>UTC offsets a sender may use for the same instant.</summary>
    private static readonly (TimeSpan Offset, string Text)[] Offsets =
    [
        (TimeSpan.Zero, "Z"),
        (TimeSpan.Zero, "+00:00"),
        (TimeSpan.Zero, "-00:00"),
        (new TimeSpan(5, 30, 0), "+05:30"),
        (new TimeSpan(5, 45, 0), "+05:45"),
        (TimeSpan.FromHours(-8), "-08:00"),
        (new TimeSpan(-9, -30, 0), "-09:30"),
        (TimeSpan.FromHours(14), "+14:00"),
        (TimeSpan.FromHours(-12), "-12:00"),
    ];

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));
    private readonly Dictionary<string, int> _coverage = [];
    private int _runs;

    /// <summary>One alert in a webhook: which identity and startsAt, and how this copy is written.</summary>
    /// <param name="Ends">For a resolved copy: 0 no endsAt, 1 Go's zero time (both mean "now"), n = startsAt + n minutes.
    /// A firing copy carries the same shapes, which mean nothing for it.</param>
    /// <param name="Precision">Fraction digits: 0 milliseconds, 1 microseconds, 2 nanoseconds with trailing zeros dropped (Go).</param>
    private sealed record AlertCopy(
        int Identity, int Start, bool Resolved, int Ends, int Annotations, int Offset, int Precision, int SubMillis, bool Reversed);

    private sealed record Message(AlertCopy[] Alerts);

    /// <summary>
    /// Messages submitted back to back (queued in this order, so applied in it, most likely in one group commit);
    /// or one message submitted <see cref="Copies"/> times at once (HA twins); or, with <see cref="ResendOf"/> set, an
    /// earlier message's body sent again byte for byte.
    /// </summary>
    private sealed record Step(Message[] Messages, int Copies, int ResendOf, int AdvanceSeconds);

    private static readonly Gen<AlertCopy> CopyGen = Gen.Select(
        Gen.Int[0, Identities.Length - 1],
        Gen.Int[0, Starts.Length - 1],
        Gen.Bool,
        Gen.Frequency((1, Gen.Int[0, 1]), (6, Gen.Int[2, 40])),
        Gen.Int[0, AnnotationVariants.Length - 1],
        Gen.Int[0, Offsets.Length - 1],
        Gen.Int[0, 2],
        Gen.Int[0, 999_999],
        Gen.Bool,
        (identity, start, resolved, ends, annotations, offset, precision, subMillis, reversed) =>
            new AlertCopy(identity, start, resolved, ends, annotations, offset, precision, subMillis, reversed));

    // Alertmanager never puts one fingerprint twice in a webhook: one alert per identity per message.
    private static readonly Gen<Message> MessageGen =
        CopyGen.Array[1, 3].Select(copies => new Message([.. copies.DistinctBy(c => c.Identity)]));

    private static readonly Gen<int> Advance = Gen.Int[1, 600];

    private static readonly Gen<Step> StepGen = Gen.Frequency(
        (5, Gen.Select(MessageGen, Advance, (message, advance) => new Step([message], 1, -1, advance))),
        (2, Gen.Select(MessageGen.Array[2, 3], Advance, (messages, advance) => new Step(messages, 1, -1, advance))),
        (2, Gen.Select(MessageGen, Gen.Int[2, 8], Advance, (message, copies, advance) => new Step([message], copies, -1, advance))),
        (2, Gen.Select(Gen.Int[0, 999], Advance, (resendOf, advance) => new Step([], 1, resendOf, advance))));

    private static readonly Regex FailingSeed = new("Set seed: \"([^\"]+)\"");

    private static readonly Gen<Step[]> Sequences = StepGen.Array[1, 20];

    /// <summary>The messages each step submits, as <see cref="RunAsync"/> sends them (a re-send picks among those sent before).</summary>
    private static IEnumerable<Message[]> Submitted(Step[] steps)
    {
        var sent = new List<Message>();
        foreach (var step in steps)
        {
            if (step.ResendOf >= 0)
            {
                yield return sent.Count == 0 ? [] : [sent[step.ResendOf % sent.Count]];
                continue;
            }

            sent.AddRange(step.Messages);
            yield return step.Messages;
        }
    }

    [Fact]
    public async Task SubmitAsync_StoresTheHistoryTheModelPredicts_ForRandomWebhookSequences()
    {
        // The model states the rules without a re-open grace: a resolved occurrence firing again re-opens at once.
        await using var running = new RunningWriter(Store.CreateWriter(_time, reopenGraceSeconds: 0));

        try
        {
            await Sequences.SampleAsync(steps => RunAsync(running, steps), iter: 250, threads: 1, print: Show);
        }
        catch (CsCheckException failure) when (FailingSeed.Match(failure.Message) is { Success: true } seed)
        {
            // CsCheck shrinks by sampling on and running only smaller sequences: give it more tries from the failing
            // seed before reporting, so the report is a short sequence. Passing runs never pay for this.
            await Sequences.SampleAsync(steps => RunAsync(running, steps), seed: seed.Groups[1].Value, iter: 30_000, threads: 1, print: Show);
            throw;
        }

        // The generator must reach every rule, or the property proves little.
        string[] reached =
        [
            "received", "refired", "resolved", "resolved(superseded)", "annotations_changed", "reopened", "stale copy",
            "identical copy", "concurrent copies", "resolved without endsAt", "late first copy",
        ];
        Assert.All(reached, rule => Assert.True(_coverage.GetValueOrDefault(rule) > 0, $"no sequence reached \"{rule}\""));
    }

    private async Task RunAsync(RunningWriter running, Step[] steps)
    {
        var run = $"r{Interlocked.Increment(ref _runs)}";
        var model = new HistoryModel(_coverage);
        var sent = new List<(Message Message, byte[] Body)>();
        for (var i = 0; i < steps.Length; i++)
        {
            var step = steps[i];
            _time.Advance(TimeSpan.FromSeconds(step.AdvanceSeconds));
            var nowMs = UnixMillis.From(_time.GetUtcNow());
            if (step.ResendOf >= 0)
            {
                if (sent.Count == 0)
                {
                    continue;
                }

                var (message, body) = sent[step.ResendOf % sent.Count];
                var expected = model.Apply(message, nowMs);
                var actual = await running.SubmitAsync(body);
                await CheckAsync(expected == actual, run, model, $"step {i + 1} (re-send): expected {expected}, got {actual}");
            }
            else if (step.Copies > 1)
            {
                var message = step.Messages[0];
                var body = Body(message, run);
                sent.Add((message, body));
                var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var posts = Enumerable.Range(0, step.Copies).Select(_ => Task.Run(async () =>
                {
                    await start.Task;
                    return await running.SubmitAsync(body);
                })).ToList();
                start.SetResult();
                var actual = await Task.WhenAll(posts);

                // Whichever copy is applied first makes every change; the others are duplicates through and through.
                var first = model.Apply(message, nowMs);
                var duplicate = new IngestResult(message.Alerts.Length, 0, 0, message.Alerts.Length);
                var expected = Enumerable.Repeat(duplicate, step.Copies - 1).Append(first).OrderBy(Key).ToList();
                _coverage["concurrent copies"] = _coverage.GetValueOrDefault("concurrent copies") + 1;
                await CheckAsync(expected.SequenceEqual(actual.OrderBy(Key)), run, model,
                    $"step {i + 1} ({step.Copies} concurrent copies): expected {string.Join(", ", expected)}, got {string.Join(", ", actual.OrderBy(Key))}");
            }
            else
            {
                var bodies = step.Messages.Select(m => Body(m, run)).ToList();
                sent.AddRange(step.Messages.Zip(bodies));
                // Submitted back to back without waiting: queued in this order, applied in it (the writer is FIFO).
                var posts = bodies.Select(running.SubmitAsync).ToList();
                var actual = await Task.WhenAll(posts);
                for (var m = 0; m < step.Messages.Length; m++)
                {
                    var expected = model.Apply(step.Messages[m], nowMs);
                    await CheckAsync(expected == actual[m], run, model, $"step {i + 1}, message {m + 1}: expected {expected}, got {actual[m]}");
                }
            }
        }

        var history = await StoredHistoryAsync(run);
        var predicted = model.History();
        await CheckAsync(predicted.SequenceEqual(history), run, model, "the stored history differs from the model's");
    }

    private static (int, int, int) Key(IngestResult result) => (result.Created, result.Changed, result.Duplicates);

    private async Task CheckAsync(bool holds, string run, HistoryModel model, string what)
    {
        if (!holds)
        {
            var stored = await StoredHistoryAsync(run);
            Assert.Fail($"{what}\nmodel:\n  {string.Join("\n  ", model.History())}\nstored:\n  {string.Join("\n  ", stored)}");
        }
    }

    /// <summary>The run's occurrences as the query API returns them, one line each, in the model's order.</summary>
    private async Task<List<string>> StoredHistoryAsync(string run)
    {
        var page = await Store.Queries.ListAsync(
            new AlertQuery { Matchers = [MatcherParser.ParseMatcher($"{RunLabel}=\"{run}\"")], Limit = AlertQuery.MaxLimit }, default);
        var startsById = page.Items.ToDictionary(a => a.Id, a => UnixMillis.From(a.StartsAt));
        var lines = new List<(int, long, string)>();
        foreach (var alert in page.Items)
        {
            var identity = IdentityOf(alert.Labels, run);
            var expectedFingerprint = FingerprintPropertyTests.AlertmanagerFingerprint(alert.Labels);
            var (_, events) = (await Store.Queries.GetAsync(alert.Id, default))!.Value;
            var kinds = events.Select(e => Describe(e, startsById));
            var line = HistoryModel.Line(
                identity, UnixMillis.From(alert.StartsAt), alert.Status, alert.EndsAt is { } ends ? UnixMillis.From(ends) : null,
                HistoryModel.Canonical(alert.Annotations.Select(a => (a.Key, a.Value))), kinds);
            if (alert.Fingerprint.Value != expectedFingerprint)
            {
                line += $" FINGERPRINT {alert.Fingerprint} (Alertmanager: {expectedFingerprint:x16})";
            }

            lines.Add((identity, UnixMillis.From(alert.StartsAt), identity < 0 ? $"unexpected labels {alert.Labels} " + line : line));
        }

        // An identity fires once at a time: a newer startsAt means every older occurrence has ended.
        foreach (var identity in page.Items.GroupBy(a => a.Fingerprint))
        {
            var newest = identity.Max(a => a.StartsAt);
            foreach (var stale in identity.Where(a => a.Status == AlertStatus.Firing && a.StartsAt < newest))
            {
                lines.Add((int.MaxValue, 0, $"STILL FIRING although superseded: {(char)('A' + IdentityOf(stale.Labels, run))}@{HistoryModel.ShowStart(UnixMillis.From(stale.StartsAt))}"));
            }
        }

        return [.. lines.OrderBy(l => l.Item1).ThenBy(l => l.Item2).Select(l => l.Item3)];
    }

    private static int IdentityOf(LabelSet labels, string run) =>
        Array.FindIndex(Identities, identity => LabelSet.From(identity.Append((RunLabel, run)).ToArray()).Equals(labels));

    /// <summary>An event's kind, with what the model predicts of its detail: why a resolve happened, what a re-fire follows.</summary>
    private static string Describe(AlertEvent e, Dictionary<long, long> startsById)
    {
        using var detail = JsonDocument.Parse(e.DetailJson ?? "{}");
        var root = detail.RootElement;
        if (e.Kind == EventKinds.Resolved && root.TryGetProperty("reason", out var reason))
        {
            var by = root.TryGetProperty("supersededBy", out var id) && startsById.TryGetValue(id.GetInt64(), out var starts)
                ? HistoryModel.ShowStart(starts)
                : "?";
            return $"resolved({reason.GetString()} by {by})";
        }

        if (e.Kind == EventKinds.Refired && root.TryGetProperty("previousStartsAt", out var previous) &&
            Rfc3339.TryParse(previous.GetString(), out var previousStart))
        {
            return $"refired(after {HistoryModel.ShowStart(UnixMillis.From(previousStart))})";
        }

        return e.Kind;
    }

    private static byte[] Body(Message message, string run)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("receiver", "relay");
            json.WriteString("status", message.Alerts.All(a => a.Resolved) ? "resolved" : "firing");
            json.WriteStartArray("alerts");
            foreach (var alert in message.Alerts)
            {
                var startsAtMs = Starts[alert.Start];
                json.WriteStartObject();
                json.WriteString("status", alert.Resolved ? "resolved" : "firing");
                WriteMap(json, "labels", Identities[alert.Identity].Append((RunLabel, run)).ToArray(), alert.Reversed);
                WriteMap(json, "annotations", AnnotationVariants[alert.Annotations], alert.Reversed);
                json.WriteString("startsAt", Timestamp(startsAtMs, alert));
                switch (alert.Ends)
                {
                    case 0:
                        break;
                    case 1:
                        json.WriteString("endsAt", "0001-01-01T00:00:00Z");
                        break;
                    default:
                        json.WriteString("endsAt", Timestamp(startsAtMs + alert.Ends * 60_000L, alert));
                        break;
                }

                json.WriteString("generatorURL", "http://prometheus:9090/graph");
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("groupLabels");
            json.WriteEndObject();
            json.WriteString("externalURL", "http://alertmanager:9093");
            json.WriteString("version", "4");
            json.WriteString("groupKey", "{}:{}");
            json.WriteNumber("truncatedAlerts", 0);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteMap(Utf8JsonWriter json, string name, (string Name, string Value)[] pairs, bool reversed)
    {
        json.WriteStartObject(name);
        foreach (var (key, value) in reversed ? Enumerable.Reverse(pairs) : pairs)
        {
            json.WriteString(key, value);
        }

        json.WriteEndObject();
    }

    /// <summary>The instant in the copy's offset and precision; the sub-millisecond digits must not matter.</summary>
    private static string Timestamp(long ms, AlertCopy copy)
    {
        var (offset, zone) = Offsets[copy.Offset];
        var local = DateTimeOffset.FromUnixTimeMilliseconds(ms).ToOffset(offset);
        var fraction = local.Millisecond.ToString("000", CultureInfo.InvariantCulture) + copy.Precision switch
        {
            0 => "",
            1 => (copy.SubMillis / 1000).ToString("000", CultureInfo.InvariantCulture),
            _ => copy.SubMillis.ToString("000000", CultureInfo.InvariantCulture).TrimEnd('0'),
        };
        return local.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + "." + fraction + zone;
    }

    private static string Show(Step[] steps) => "\n" + string.Join("\n", steps.Zip(Submitted(steps)).Select((step, i) => $"  {i + 1}. " + (step.First switch
    {
        { ResendOf: >= 0 } => step.Second.Length == 0 ? "re-send (nothing sent yet: skipped)" : $"re-send of {Show(step.Second[0])}",
        { Copies: > 1 } => $"{step.First.Copies} concurrent copies of {Show(step.Second[0])}",
        _ => string.Join(" then ", step.Second.Select(Show)),
    }) + $"  (+{step.First.AdvanceSeconds}s)"));

    private static string Show(Message message) => "[" + string.Join(", ", message.Alerts.Select(a =>
        $"{(char)('A' + a.Identity)}@{HistoryModel.ShowStart(Starts[a.Start])} {(a.Resolved ? "resolved" : "firing")}" +
        $"{(a.Resolved ? a.Ends < 2 ? " endsAt=now" : $" endsAt=+{a.Ends}m" : "")} ann{a.Annotations}" +
        $" {Offsets[a.Offset].Text}{(a.Reversed ? " reversed" : "")}")) + "]";

    /// <summary>
    /// What the history must be after a sequence of webhooks, stated from the rules, not from the code:
    /// an occurrence is (identity, startsAt); each alert copy is applied in submission order.
    /// </summary>
    private sealed class HistoryModel(Dictionary<string, int> coverage)
    {
        private readonly List<Occurrence> _occurrences = [];

        private sealed class Occurrence(int identity, long startsAtMs)
        {
            public int Identity { get; } = identity;

            public long StartsAtMs { get; } = startsAtMs;

            public bool Firing { get; set; }

            public long? EndsAtMs { get; set; }

            public string Annotations { get; set; } = "";

            public List<string> Events { get; } = [];
        }

        public IngestResult Apply(Message message, long nowMs)
        {
            int created = 0, changed = 0, duplicates = 0;
            foreach (var copy in message.Alerts)
            {
                switch (Apply(copy, nowMs))
                {
                    case Outcome.Created:
                        created++;
                        break;
                    case Outcome.Changed:
                        changed++;
                        break;
                    default:
                        duplicates++;
                        break;
                }
            }

            return new IngestResult(message.Alerts.Length, created, changed, duplicates);
        }

        private enum Outcome
        {
            Duplicate,
            Created,
            Changed,
        }

        private Outcome Apply(AlertCopy copy, long nowMs)
        {
            var startsAtMs = Starts[copy.Start];
            var annotations = Canonical(AnnotationVariants[copy.Annotations]);
            // A resolved copy without an endsAt (or with Go's zero time) ends when it is received.
            long endsAtMs = copy.Ends < 2 ? nowMs : startsAtMs + copy.Ends * 60_000L;
            if (copy.Resolved && copy.Ends < 2)
            {
                Reached("resolved without endsAt");
            }

            var sameIdentity = _occurrences.Where(o => o.Identity == copy.Identity).ToList();
            long? newest = sameIdentity.Count == 0 ? null : sameIdentity.Max(o => o.StartsAtMs);
            var occurrence = sameIdentity.SingleOrDefault(o => o.StartsAtMs == startsAtMs);

            if (occurrence is null)
            {
                // First sight of this (identity, startsAt): a new occurrence, as the copy says it is.
                occurrence = new Occurrence(copy.Identity, startsAtMs) { Firing = !copy.Resolved, Annotations = annotations };
                if (newest < startsAtMs)
                {
                    // A re-fire: an identity fires once at a time, so older occurrences still firing ended when this one started.
                    foreach (var older in sameIdentity.Where(o => o.Firing))
                    {
                        older.Firing = false;
                        older.EndsAtMs = startsAtMs;
                        Add(older, $"resolved(superseded by {ShowStart(startsAtMs)})");
                    }

                    Add(occurrence, $"refired(after {ShowStart(newest.Value)})");
                }
                else
                {
                    // Never seen, or a late first copy of an occurrence older than the newest: history, not a re-fire.
                    Add(occurrence, "received");
                    if (newest > startsAtMs)
                    {
                        Reached("late first copy");
                    }
                }

                Add(occurrence, "routed");
                if (newest > startsAtMs && !copy.Resolved)
                {
                    // A late first copy that says firing: the newer occurrence replaced it, so it is history, ended then.
                    occurrence.Firing = false;
                    occurrence.EndsAtMs = newest;
                    Add(occurrence, $"resolved(superseded by {ShowStart(newest.Value)})");
                }
                else if (copy.Resolved)
                {
                    occurrence.EndsAtMs = endsAtMs;
                    Add(occurrence, "resolved");
                }

                _occurrences.Add(occurrence);
                return Outcome.Created;
            }

            var eventsBefore = occurrence.Events.Count;
            if (newest > startsAtMs)
            {
                // A stale copy of a superseded occurrence: it may close the occurrence if it still fires, nothing more.
                if (occurrence.Firing && copy.Resolved)
                {
                    occurrence.Firing = false;
                    occurrence.EndsAtMs = endsAtMs;
                    Add(occurrence, "resolved");
                }
                else
                {
                    Reached("stale copy");
                }
            }
            else
            {
                if (occurrence.Annotations != annotations)
                {
                    occurrence.Annotations = annotations;
                    Add(occurrence, "annotations_changed");
                }

                if (!occurrence.Firing && !copy.Resolved)
                {
                    // Firing again with the same startsAt (Alertmanager after resolve_timeout).
                    occurrence.Firing = true;
                    occurrence.EndsAtMs = null;
                    Add(occurrence, "reopened");
                }
                else if (occurrence.Firing && copy.Resolved)
                {
                    occurrence.Firing = false;
                    occurrence.EndsAtMs = endsAtMs;
                    Add(occurrence, "resolved");
                }
            }

            if (occurrence.Events.Count > eventsBefore)
            {
                return Outcome.Changed;
            }

            Reached("identical copy");
            return Outcome.Duplicate;
        }

        private void Add(Occurrence occurrence, string kind)
        {
            occurrence.Events.Add(kind);
            Reached(kind.StartsWith("resolved(superseded", StringComparison.Ordinal) ? "resolved(superseded)" : kind.Split('(')[0]);
        }

        private void Reached(string rule) => coverage[rule] = coverage.GetValueOrDefault(rule) + 1;

        public List<string> History() =>
        [
            .. _occurrences.OrderBy(o => o.Identity).ThenBy(o => o.StartsAtMs)
                .Select(o => Line(o.Identity, o.StartsAtMs, o.Firing ? AlertStatus.Firing : AlertStatus.Resolved, o.EndsAtMs, o.Annotations, o.Events)),
        ];

        public static string Line(int identity, long startsAtMs, AlertStatus status, long? endsAtMs, string annotations, IEnumerable<string> events) =>
            $"{(char)('A' + identity)}@{ShowStart(startsAtMs)} {status.ToString().ToLowerInvariant()} " +
            $"endsAt={(endsAtMs is { } ends ? Rfc3339.Format(UnixMillis.ToDateTimeOffset(ends)) : "null")} " +
            $"annotations={annotations} events=[{string.Join(", ", events)}]";

        /// <summary>Annotations as sorted name=value pairs: the order they were sent in does not matter.</summary>
        public static string Canonical(IEnumerable<(string Name, string Value)> pairs) =>
            "{" + string.Join(", ", pairs.OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => $"{p.Name}=\"{p.Value}\"")) + "}";

        /// <summary>S0, S1, ... for the generator's startsAt values; the instant itself otherwise.</summary>
        public static string ShowStart(long startsAtMs) =>
            Array.IndexOf(Starts, startsAtMs) is var index and >= 0 ? $"S{index}" : Rfc3339.Format(UnixMillis.ToDateTimeOffset(startsAtMs));
    }
}

public sealed class IngestModelPropertyOnSqlite : IngestModelPropertyContract
{
    protected override Task<TestStore> CreateStoreAsync() => SqliteTestStore.CreateAsync();
}

public sealed class IngestModelPropertyOnPostgres : IngestModelPropertyContract
{
    protected override Task<TestStore> CreateStoreAsync() => PostgresTestStore.CreateAsync();
}
