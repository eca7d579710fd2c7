using AlertRelay.Core.Configuration;

namespace AlertRelay.Core.Schedules;

/// <summary>
/// The receivers made for a schedule's participants, <c>oncall:&lt;schedule&gt;/&lt;participant&gt;</c>: a Slack direct message (channel =
/// their user id; bot token and API base URL of the schedule receiver's first Web API slack_config) and an email (to = their address;
/// server, sender and auth of the schedule receiver's first email_config, else the global <c>smtp_*</c>), both sending resolves. Pure:
/// a participant who cannot be reached that way is a problem naming the schedule and the participant, for the reader to report.
/// </summary>
public static class OncallPagingReceivers
{
    public static (List<ReceiverConfig> Receivers, List<string> Problems) Make(
        OncallSchedule schedule, IReadOnlyList<Participant> participants, IReadOnlyList<ReceiverConfig> receivers,
        IReadOnlyDictionary<string, object?>? global)
    {
        var receiver = schedule.Receiver is { } name ? receivers.FirstOrDefault(r => r.Name == name) : null;
        var bot = receiver?.SlackConfigs.FirstOrDefault(s => s.BotToken is not null || s.BotTokenFile is not null);
        var mail = receiver?.EmailConfigs.FirstOrDefault();
        var smtpGlobal = global is not null && global.TryGetValue("smtp_smarthost", out var host) && host is string { Length: > 0 };
        var (made, problems) = (new List<ReceiverConfig>(), new List<string>());
        foreach (var participantName in OncallPaging.ParticipantsOf(schedule))
        {
            if (participants.FirstOrDefault(p => p.Name == participantName) is not { } participant)
            {
                continue; // reported by the schedules section
            }

            List<SlackConfig> slack = [];
            if (participant.SlackUserId is { Length: > 0 } user)
            {
                if (bot is null)
                {
                    problems.Add($"schedule \"{schedule.Name}\": participant \"{participant.Name}\" has a slack_user_id, but the schedule has no " +
                        "receiver with a slack_config that sets bot_token or bot_token_file (a direct message needs the Web API)");
                }
                else
                {
                    slack.Add(new SlackConfig
                    {
                        Channel = user, BotToken = bot.BotToken, BotTokenFile = bot.BotTokenFile, ApiBaseUrl = bot.ApiBaseUrl, SendResolved = true,
                    });
                }
            }

            List<EmailConfig> email = [];
            if (participant.Email is { Length: > 0 } address)
            {
                if (mail is null && !smtpGlobal)
                {
                    problems.Add($"schedule \"{schedule.Name}\": participant \"{participant.Name}\" has an email, but the schedule has no receiver " +
                        "with an email_config and global sets no smtp_smarthost");
                }
                else
                {
                    email.Add(new EmailConfig
                    {
                        To = address, From = mail?.From, Smarthost = mail?.Smarthost, RequireTls = mail?.RequireTls,
                        AuthUsername = mail?.AuthUsername, AuthPassword = mail?.AuthPassword, AuthPasswordFile = mail?.AuthPasswordFile,
                        SendResolved = true,
                    });
                }
            }

            made.Add(new ReceiverConfig(OncallPaging.ParticipantReceiver(schedule.Name, participant.Name), slack, email, []));
        }

        return (made, problems);
    }
}
