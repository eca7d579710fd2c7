namespace AlertRelay.Core.Ingest;

/// <summary>Settings of the webhook ingest, bound to <c>AlertRelay:Ingest</c>.</summary>
public sealed class IngestOptions
{
    public const string SectionName = "AlertRelay:Ingest";

    /// <summary>Largest accepted request body; a larger one is answered 413.</summary>
    public long MaxBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Most webhook requests committed together in one transaction (group commit).</summary>
    public int MaxRequestsPerCommit { get; set; } = 256;

    /// <summary>Most inbox rows (accepted webhook requests) the writer applies in one transaction.</summary>
    public int InboxRowsPerCommit { get; set; } = 256;

    /// <summary>
    /// Unapplied alerts the inbox may hold: past this, POST /webhook answers 503 with Retry-After and stores nothing, so that memory
    /// and disk stay bounded in a storm (a storm of 50,000 alerts fits under the default).
    /// </summary>
    public long MaxBacklogAlerts { get; set; } = 200_000;

    /// <summary>
    /// How long POST /webhook waits, once the body is in the inbox, for the writer to apply it when nothing else was waiting in the
    /// inbox: applied in time, the answer is 200 with what changed; otherwise, and whenever other bodies were waiting (under load),
    /// 202 (stored, applied shortly). 0 always answers 202 at once.
    /// </summary>
    public int ApplyWaitMilliseconds { get; set; } = 1000;

    /// <summary>
    /// The Linux nice value of the ingest writer's thread (0-19). Above 0, when the cores are busy, the scheduler gives the threads
    /// that answer webhooks the larger share, so a storm is accepted faster and applied from the inbox after; but the writer then
    /// also waits for any other busy thread on the host, and notifications come late (measured at 10: steady-load Slack p99
    /// 60-725 ms instead of 7 ms). 0, the default, runs it at the same priority. Ignored off Linux.
    /// </summary>
    public int WriterNiceness { get; set; }

    /// <summary>Requests waiting for the writer before new ones wait for room (never rejected).</summary>
    public int QueueCapacity { get; set; } = 4096;

    /// <summary>
    /// How often a background thread copies the write-ahead log into the database file (a PASSIVE checkpoint, which
    /// never blocks the writer), instead of the writer doing it inside a commit every 1,000 pages. 0 leaves it to
    /// SQLite's automatic checkpoint in the writer.
    /// </summary>
    public int CheckpointIntervalMilliseconds { get; set; } = 200;

    /// <summary>WAL pages after which the writer checkpoints itself even so (a backstop when the background one falls behind).</summary>
    public int CheckpointBackstopPages { get; set; } = 16384;

    /// <summary>
    /// How long a resolved occurrence that arrives firing again (same fingerprint and startsAt) waits before it is re-opened
    /// and notified; a resolve within this time cancels it (the firing copy was a stale snapshot of an Alertmanager HA peer).
    /// 0 re-opens at once. The default covers a pair or triplet with Alertmanager's defaults: a peer's stale copy is followed by
    /// its own resolve one group_interval (5m) later, each flush of peer n delayed alike by n × peer_timeout (15s); see
    /// docs/operations.md.
    /// </summary>
    public int ReopenGraceSeconds { get; set; } = DefaultReopenGraceSeconds;

    /// <summary>group_interval (300 s) + 2 × peer_timeout (a triplet's third peer, 30 s) + 30 s of slack for delivery and retries.</summary>
    public const int DefaultReopenGraceSeconds = 360;

    public IEnumerable<string> Validate()
    {
        if (CheckpointIntervalMilliseconds < 0)
        {
            yield return $"AlertRelay:Ingest:CheckpointIntervalMilliseconds must be 0 or more, not {CheckpointIntervalMilliseconds}";
        }

        if (CheckpointBackstopPages < 100)
        {
            yield return $"AlertRelay:Ingest:CheckpointBackstopPages must be at least 100, not {CheckpointBackstopPages}";
        }

        if (ReopenGraceSeconds is < 0 or > 86_400)
        {
            yield return $"AlertRelay:Ingest:ReopenGraceSeconds must be between 0 and 86400, not {ReopenGraceSeconds}";
        }

        if (MaxBodyBytes < 1024)
        {
            yield return $"AlertRelay:Ingest:MaxBodyBytes must be at least 1024, not {MaxBodyBytes}";
        }

        if (MaxRequestsPerCommit < 1)
        {
            yield return $"AlertRelay:Ingest:MaxRequestsPerCommit must be at least 1, not {MaxRequestsPerCommit}";
        }

        if (InboxRowsPerCommit < 1)
        {
            yield return $"AlertRelay:Ingest:InboxRowsPerCommit must be at least 1, not {InboxRowsPerCommit}";
        }

        if (MaxBacklogAlerts < 1000)
        {
            yield return $"AlertRelay:Ingest:MaxBacklogAlerts must be at least 1000, not {MaxBacklogAlerts}";
        }

        if (ApplyWaitMilliseconds is < 0 or > 10_000)
        {
            yield return $"AlertRelay:Ingest:ApplyWaitMilliseconds must be between 0 and 10000, not {ApplyWaitMilliseconds}";
        }

        if (WriterNiceness is < 0 or > 19)
        {
            yield return $"AlertRelay:Ingest:WriterNiceness must be between 0 and 19, not {WriterNiceness}";
        }

        if (QueueCapacity < 1)
        {
            yield return $"AlertRelay:Ingest:QueueCapacity must be at least 1, not {QueueCapacity}";
        }
    }
}
