using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using Microsoft.Extensions.Logging;

namespace AlertRelay.Core.Notify.Slack;

/// <summary>Sends one notification to one <c>slack_config</c> and returns the classified outcome; never retries itself.</summary>
/// <remarks>
/// With a bot token (<c>bot_token</c> or <c>bot_token_file</c>): the Web API; a resolve of a message it posted updates that
/// message to the resolved layout and replies in its thread (a new message when the original is gone or not editable).
/// Otherwise the incoming webhook (<c>api_url</c> or <c>api_url_file</c>): every notification is a new message.
/// Whether resolves are sent at all (<c>send_resolved</c>) is decided when they are queued, as in Alertmanager. Logs under
/// <see cref="SlackNotifier"/>'s category. With <paramref name="oncall"/>, a firing message about one alert carries the on-call
/// buttons and page link, and an <see cref="NotificationKind.Update"/> re-renders the announcing message with a thread reply.
/// </remarks>
public sealed class SlackSender(SlackClient client, ILogger logger, SlackOncallSettings? oncall = null)
{
    public const string DefaultApiBaseUrl = "https://slack.com/api/";

    public async Task<NotifyResult> SendAsync(SlackConfig config, NotificationMessage message, CancellationToken cancellationToken)
    {
        var token = await ReadSecretAsync(config.BotToken, config.BotTokenFile, "bot_token", cancellationToken);
        if (token.Error is not null)
        {
            return NotifyResult.Permanent(token.Error);
        }

        var webApi = token.Value is not null;
        var slackMessage = SlackMessageBuilder.Build(message, config, oncall: oncall?.ViewFor(message, webApi));
        if (token.Value is not null)
        {
            if (string.IsNullOrWhiteSpace(config.Channel))
            {
                return NotifyResult.Permanent("slack: channel is empty");
            }

            var baseUrl = string.IsNullOrWhiteSpace(config.ApiBaseUrl) ? DefaultApiBaseUrl : config.ApiBaseUrl;
            return message.Kind == NotificationKind.Update
                ? await UpdateAsync(baseUrl, token.Value, config, message, cancellationToken)
                : await SendWebApiAsync(baseUrl, token.Value, config, message, slackMessage, cancellationToken);
        }

        if (message.Kind == NotificationKind.Update)
        {
            // A webhook message cannot be edited, and a new message per click would be noise: nothing to do.
            logger.LogInformation(
                "Slack update ({detail}) not sent: receiver {receiver} posts through an incoming webhook, whose messages cannot be updated (notification {notificationId})",
                message.EscalationStep, message.Receiver, message.NotificationId);
            return NotifyResult.Delivered();
        }

        var webhook = await ReadSecretAsync(config.ApiUrl, config.ApiUrlFile, "api_url", cancellationToken);
        if (webhook.Error is not null)
        {
            return NotifyResult.Permanent(webhook.Error);
        }

        if (webhook.Value is null)
        {
            return NotifyResult.Permanent("slack: no credentials: set bot_token or bot_token_file (Web API) or api_url or api_url_file (incoming webhook)");
        }

        // Webhooks cannot update or thread: every kind, a resolve included, is a new message.
        var response = await client.PostWebhookAsync(webhook.Value, slackMessage, cancellationToken);
        Log(response, message, config.Channel, SlackClient.WebhookMethod);
        return response.Result;
    }

    private async Task<NotifyResult> SendWebApiAsync(
        string baseUrl, string token, SlackConfig config, NotificationMessage message, SlackMessage slackMessage, CancellationToken cancellationToken)
    {
        if (message.Announcements.Any(a => a.Delivery is { SlackChannel.Length: > 0, SlackTs.Length: > 0 }))
        {
            return await FollowUpAsync(baseUrl, token, config, message, cancellationToken);
        }

        if (message.Kind == NotificationKind.Resolved && message.Previous is { SlackChannel: { Length: > 0 } channel, SlackTs: { Length: > 0 } ts })
        {
            var updated = await client.UpdateMessageAsync(baseUrl, token, channel, ts, slackMessage, cancellationToken);
            Log(updated, message, channel, SlackClient.UpdateMethod);
            if (updated.IsOk)
            {
                // Retrying after a failed reply repeats the update too, which is harmless: it sets the same content.
                var reply = SlackMessageBuilder.BuildResolvedReply(message) with { Channel = channel, ThreadTs = ts };
                var replied = await client.PostMessageAsync(baseUrl, token, reply, cancellationToken);
                Log(replied, message, channel, "thread reply");
                return replied.Result switch
                {
                    NotifyResult.Sent => NotifyResult.Delivered(new DeliveryRef(SlackChannel: channel, SlackTs: ts)),
                    NotifyResult.Failed failed => NotifyResult.Permanent($"message updated, but the thread reply failed: {failed.Reason}"),
                    var retry => retry,
                };
            }

            // The original is gone (deleted) or not ours to edit (too old, another bot): say it resolved in a new message.
            if (updated.Error is not ("message_not_found" or "cant_update_message"))
            {
                return updated.Result;
            }

            logger.LogInformation(
                "Slack message {ts} in {channel} cannot be updated ({error}); posting the resolve as a new message (receiver {receiver}, notification {notificationId})",
                ts, channel, updated.Error, message.Receiver, message.NotificationId);
        }

        if (message.Kind == NotificationKind.Reminder && message.Previous is { SlackChannel: { Length: > 0 } thread, SlackTs: { Length: > 0 } parent })
        {
            // A reminder replies in the thread of the message that announced the firing (SlackReminder).
            var reminded = await client.PostMessageAsync(baseUrl, token, SlackReminder.Reply(message, thread, parent), cancellationToken);
            Log(reminded, message, thread, "thread reply");
            if (reminded.Error is not ("thread_not_found" or "message_not_found"))
            {
                return reminded.Result;
            }

            // The firing message is gone (deleted): the reminder becomes a new message, marked as one.
            logger.LogInformation("Slack thread {ts} in {channel} is gone ({error}); posting the reminder as a new message (receiver {receiver}, notification {notificationId})",
                parent, thread, reminded.Error, message.Receiver, message.NotificationId);
        }

        var posted = await client.PostMessageAsync(baseUrl, token, slackMessage, cancellationToken);
        Log(posted, message, config.Channel, SlackClient.PostMessageMethod);
        return posted.Result;
    }

    /// <summary>
    /// An on-call action changed the occurrence: the message that announced its latest firing is updated to show the state as it
    /// is now (who acknowledged, the silence, the buttons that fit), and a thread reply says what happened. A retry repeats the
    /// update (harmless: the same content) and the reply.
    /// </summary>
    private async Task<NotifyResult> UpdateAsync(
        string baseUrl, string token, SlackConfig config, NotificationMessage message, CancellationToken cancellationToken)
    {
        if (message.Alerts is not [var alert] || message.Previous is not { SlackChannel: { Length: > 0 } channel, SlackTs: { Length: > 0 } ts })
        {
            // No delivered message announced the occurrence. Retrying would not help: if its firing notification is still pending,
            // it renders the occurrence as it is when it is sent (the acknowledgement or silence included), so nothing is lost.
            logger.LogInformation(
                "Slack update ({detail}) not sent: no delivered message announced the occurrence (receiver {receiver}, notification {notificationId})",
                message.EscalationStep, message.Receiver, message.NotificationId);
            return NotifyResult.Delivered();
        }

        var current = message with
        {
            Kind = alert.Status == AlertStatus.Firing ? NotificationKind.Firing : NotificationKind.Resolved,
            EscalationStep = null,
        };
        var rendered = SlackMessageBuilder.Build(current, config, oncall: oncall?.ViewFor(current, webApi: true));
        var updated = await client.UpdateMessageAsync(baseUrl, token, channel, ts, rendered, cancellationToken);
        Log(updated, message, channel, SlackClient.UpdateMethod);
        if (!updated.IsOk)
        {
            if (updated.Error is not ("message_not_found" or "cant_update_message"))
            {
                return updated.Result;
            }

            // Deleted, or no longer ours to edit: the action is recorded on the timeline; there is no message to show it on.
            logger.LogInformation(
                "Slack message {ts} in {channel} cannot be updated ({error}); update ({detail}) dropped (receiver {receiver}, notification {notificationId})",
                ts, channel, updated.Error, message.EscalationStep, message.Receiver, message.NotificationId);
            return NotifyResult.Delivered();
        }

        var reply = SlackUpdateReply.Build(message) with { Channel = channel, ThreadTs = ts };
        var replied = await client.PostMessageAsync(baseUrl, token, reply, cancellationToken);
        Log(replied, message, channel, "thread reply");
        return replied.Result switch
        {
            // No reference: an update announces nothing that later notifications should follow.
            NotifyResult.Sent => NotifyResult.Delivered(),
            NotifyResult.Failed failed => NotifyResult.Permanent($"message updated, but the thread reply failed: {failed.Reason}"),
            var retry => retry,
        };
    }

    /// <summary>
    /// A resolve of alerts that were announced: each announcing message is updated to read as things are now (a digest: how many
    /// still fire) and gets the resolve as a thread reply; alerts that no message announced, or whose message is gone, get a new
    /// message. A retry after a failure repeats the earlier updates (harmless: the same content) and their replies.
    /// </summary>
    private async Task<NotifyResult> FollowUpAsync(
        string baseUrl, string token, SlackConfig config, NotificationMessage message, CancellationToken cancellationToken)
    {
        var unannounced = message.Alerts.ExceptBy(message.Announcements.SelectMany(a => a.Resolved).Select(a => a.Id), a => a.Id).ToList();
        DeliveryRef? first = null;
        foreach (var announcement in message.Announcements)
        {
            if (announcement.Delivery is not { SlackChannel: { Length: > 0 } channel, SlackTs: { Length: > 0 } ts })
            {
                unannounced.AddRange(announcement.Resolved);
                continue;
            }

            var resolves = message with { Kind = NotificationKind.Resolved, Alerts = announcement.Resolved, Announcements = [] };
            var now = announcement.Kind == NotificationKind.Digest
                ? new NotificationMessage(announcement.NotificationId, message.Receiver, NotificationKind.Digest, announcement.Alerts, null) { ExternalUrl = message.ExternalUrl }
                : resolves;
            var updated = await client.UpdateMessageAsync(baseUrl, token, channel, ts, SlackMessageBuilder.Build(now, config), cancellationToken);
            Log(updated, message, channel, SlackClient.UpdateMethod);
            if (!updated.IsOk)
            {
                // The original is gone (deleted) or not ours to edit (too old, another bot): say it resolved in a new message.
                if (updated.Error is not ("message_not_found" or "cant_update_message"))
                {
                    return updated.Result;
                }

                logger.LogInformation(
                    "Slack message {ts} in {channel} cannot be updated ({error}); posting the resolve as a new message (receiver {receiver}, notification {notificationId})",
                    ts, channel, updated.Error, message.Receiver, message.NotificationId);
                unannounced.AddRange(announcement.Resolved);
                continue;
            }

            var reply = SlackMessageBuilder.BuildResolvedReply(resolves, total: announcement.Alerts.Count) with { Channel = channel, ThreadTs = ts };
            var replied = await client.PostMessageAsync(baseUrl, token, reply, cancellationToken);
            Log(replied, message, channel, "thread reply");
            switch (replied.Result)
            {
                case NotifyResult.Failed failed:
                    return NotifyResult.Permanent($"message updated, but the thread reply failed: {failed.Reason}");
                case NotifyResult.Retry retry:
                    return retry;
            }

            first ??= new DeliveryRef(SlackChannel: channel, SlackTs: ts);
        }

        if (unannounced.Count > 0)
        {
            var rest = message with { Alerts = [.. unannounced.OrderBy(a => a.StartsAt).ThenBy(a => a.Id)], Announcements = [] };
            var posted = await client.PostMessageAsync(baseUrl, token, SlackMessageBuilder.Build(rest, config), cancellationToken);
            Log(posted, message, config.Channel, SlackClient.PostMessageMethod);
            if (posted.Result is not NotifyResult.Sent || first is null)
            {
                return posted.Result;
            }
        }

        return NotifyResult.Delivered(first!);
    }

    /// <summary>The secret from its inline value or its file (trimmed); an unreadable or empty file is an error, neither set is (null, null).</summary>
    private static async Task<(string? Value, string? Error)> ReadSecretAsync(
        string? inline, string? file, string name, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(inline))
        {
            return (inline.Trim(), null);
        }

        if (string.IsNullOrWhiteSpace(file))
        {
            return (null, null);
        }

        string text;
        try
        {
            text = await File.ReadAllTextAsync(file, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return (null, $"slack: cannot read {name}_file {file}: {ex.Message}");
        }

        text = text.Trim();
        return text.Length == 0 ? (null, $"slack: {name}_file {file} is empty") : (text, null);
    }

    private void Log(SlackResponse response, NotificationMessage message, string channel, string method)
    {
        switch (response.Result)
        {
            case NotifyResult.Sent:
                logger.LogDebug(
                    "Slack {method} ok (receiver {receiver}, channel {channel}, ts {ts}, notification {notificationId})",
                    method, message.Receiver, response.Channel ?? channel, response.Ts, message.NotificationId);
                break;
            case NotifyResult.Retry retry:
                logger.LogDebug(
                    "Slack {method} failed, will retry: {reason} (receiver {receiver}, channel {channel}, notification {notificationId})",
                    method, retry.Reason, message.Receiver, channel, message.NotificationId);
                break;
            case NotifyResult.Failed failed:
                logger.LogDebug(
                    "Slack {method} failed permanently: {reason} (receiver {receiver}, channel {channel}, notification {notificationId})",
                    method, failed.Reason, message.Receiver, channel, message.NotificationId);
                break;
        }
    }
}
