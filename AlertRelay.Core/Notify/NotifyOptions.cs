namespace AlertRelay.Core.Notify;

/// <summary>Settings of the notification outbox and its dispatcher, bound to <c>AlertRelay:Notify</c>.</summary>
public sealed class NotifyOptions
{
    public const string SectionName = "AlertRelay:Notify";

    /// <summary>Delivery attempts before a notification is dead-lettered (retryable failures only; permanent ones die at once).</summary>
    public int MaxAttempts { get; set; } = 12;

    /// <summary>Backoff before the second attempt; doubles each attempt (with ±20% jitter) up to <see cref="MaxBackoffSeconds"/>.</summary>
    public double InitialBackoffSeconds { get; set; } = 1;

    public double MaxBackoffSeconds { get; set; } = 300;

    /// <summary>How long a claimed notification is reserved for one dispatcher; after a crash it is retried when the lease ends.</summary>
    public int LeaseSeconds { get; set; } = 60;

    /// <summary>Notifications claimed at once for one target; each target sends <see cref="OutboxDispatcher.PerTargetConcurrency"/> of them at a time.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>Storm protection: more alerts than this for one receiver in one webhook are sent as one digest.</summary>
    public int DigestThreshold { get; set; } = 10;

    /// <summary>How often the dispatcher looks for due retries when nothing wakes it.</summary>
    public int PollIntervalMilliseconds { get; set; } = 500;

    /// <summary>The most one Slack API call may take; past it the attempt counts as failed and is retried (Slack may still have posted it).</summary>
    public double SlackTimeoutSeconds { get; set; } = 15;

    /// <summary>The most one e-mail send may take, connect to QUIT; past it the attempt counts as failed and is retried (the server may still have taken it).</summary>
    public double SmtpTimeoutSeconds { get; set; } = 30;

    /// <summary>The most one webhook POST may take; past it the attempt counts as failed and is retried (the receiver may still have taken it).</summary>
    public double WebhookTimeoutSeconds { get; set; } = 15;

    /// <summary>The most one PagerDuty event POST may take (a <c>pagerduty_configs</c> entry's <c>timeout</c> overrides it); past it the attempt is retried.</summary>
    public double PagerDutyTimeoutSeconds { get; set; } = 15;

    /// <summary>The most one Teams (<c>msteamsv2_configs</c>) POST may take; past it the attempt counts as failed and is retried.</summary>
    public double MsTeamsV2TimeoutSeconds { get; set; } = 15;

    public IEnumerable<string> Validate()
    {
        if (MaxAttempts < 1)
        {
            yield return $"AlertRelay:Notify:MaxAttempts must be at least 1, not {MaxAttempts}";
        }

        if (InitialBackoffSeconds <= 0 || MaxBackoffSeconds < InitialBackoffSeconds)
        {
            yield return "AlertRelay:Notify:InitialBackoffSeconds must be positive and at most MaxBackoffSeconds";
        }

        if (LeaseSeconds < 5)
        {
            yield return $"AlertRelay:Notify:LeaseSeconds must be at least 5, not {LeaseSeconds}";
        }

        if (SlackTimeoutSeconds is <= 0 or > 300)
        {
            yield return $"AlertRelay:Notify:SlackTimeoutSeconds must be more than 0 and at most 300, not {SlackTimeoutSeconds}";
        }

        if (SmtpTimeoutSeconds is <= 0 or > 300)
        {
            yield return $"AlertRelay:Notify:SmtpTimeoutSeconds must be more than 0 and at most 300, not {SmtpTimeoutSeconds}";
        }

        if (WebhookTimeoutSeconds is <= 0 or > 300)
        {
            yield return $"AlertRelay:Notify:WebhookTimeoutSeconds must be more than 0 and at most 300, not {WebhookTimeoutSeconds}";
        }

        if (PagerDutyTimeoutSeconds is <= 0 or > 300)
        {
            yield return $"AlertRelay:Notify:PagerDutyTimeoutSeconds must be more than 0 and at most 300, not {PagerDutyTimeoutSeconds}";
        }

        if (MsTeamsV2TimeoutSeconds is <= 0 or > 300)
        {
            yield return $"AlertRelay:Notify:MsTeamsV2TimeoutSeconds must be more than 0 and at most 300, not {MsTeamsV2TimeoutSeconds}";
        }

        if (BatchSize < 1 || DigestThreshold < 1 || PollIntervalMilliseconds < 10)
        {
            yield return "AlertRelay:Notify:BatchSize and DigestThreshold must be at least 1, PollIntervalMilliseconds at least 10";
        }
    }
}
