using AlertRelay.Core.Pipeline;
using Microsoft.Extensions.Logging;

namespace AlertRelay.Core.Ingest;

/// <summary>The writer's side of the inbox: woken after appends, it applies the accepted bodies in id order.</summary>
public sealed partial class IngestWriter
{
    /// <summary>
    /// Asks the writer to apply what the inbox holds (the appender calls it after each append): one drain waits in the queue at a
    /// time; a drain that took a full batch queues the next.
    /// </summary>
    public void WakeInbox()
    {
        if (Interlocked.Exchange(ref _drainQueued, 1) == 0 && !_queue.Writer.TryWrite(new PendingWrite(null, PassKind.Drain)))
        {
            Volatile.Write(ref _drainQueued, 0); // the queue is full or closed: the next append or tick wakes it again
        }
    }

    /// <summary>
    /// Applies the oldest inbox rows in this transaction, as many as fit in <see cref="InboxAlertsPerCommit"/> alerts (one at
    /// least), and passes them in it (exactly once). Each body is read back from the inbox, parsed, and applied at the time it
    /// was accepted; one the chain cannot apply is kept as failed and logged. Returns whether it took every row there was.
    /// </summary>
    private bool DrainInbox(BatchState batch, List<AlertPlan> plans, List<(InboxEntry, IngestResult?)> drained, long registeredBefore)
    {
        var entries = batch.Transaction.TakeInbox(_inboxRowsPerCommit);
        _inbox.ForgetTakenElsewhere(entries, registeredBefore);
        var taken = new List<long>(entries.Count);
        var alerts = 0;
        foreach (var entry in entries)
        {
            if (taken.Count > 0 && alerts + entry.Alerts > InboxAlertsPerCommit)
            {
                break; // the next transaction takes it: one transaction's plans stay a bounded size
            }

            alerts += entry.Alerts;
            taken.Add(entry.Id);
            var parsed = WebhookParser.Parse(batch.Transaction.LoadInboxBody(entry.Id));
            if (!parsed.IsValid)
            {
                var error = string.Join("; ", parsed.Errors.Select(e => $"{e.Field}: {e.Message}"));
                _logger.LogError("Inbox row {id} is not a valid webhook body any more ({error}); kept as failed", entry.Id, error);
                batch.Transaction.FailInbox(entry.Id, error, batch.NowMs);
                drained.Add((entry, null));
                continue;
            }

            var result = ApplyMessage(batch with { NowMs = entry.ReceivedAtMs }, new PendingWrite(parsed.Message!), plans);
            if (result is null)
            {
                batch.Transaction.FailInbox(entry.Id, "the chain could not apply it (see the log)", batch.NowMs);
            }

            drained.Add((entry, result));
        }

        batch.Transaction.CompleteInbox(taken);
        return taken.Count == entries.Count && entries.Count < _inboxRowsPerCommit;
    }
}
