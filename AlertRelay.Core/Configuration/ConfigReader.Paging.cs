using AlertRelay.Core.Schedules;

namespace AlertRelay.Core.Configuration;

/// <summary>The receivers made for the schedules' participants: how <c>oncall:&lt;schedule&gt;</c> reaches the person on call.</summary>
internal sealed partial class ConfigReader
{
    /// <summary>
    /// One receiver per schedule and participant it names, <c>oncall:&lt;schedule&gt;/&lt;participant&gt;</c>: a Slack direct message (channel =
    /// their user id; bot token and API base URL of the schedule receiver's first Web API slack_config) and an email (to = their address;
    /// server, sender and auth of the schedule receiver's first email_config, else the global <c>smtp_*</c>), both sending resolves.
    /// A participant who cannot be reached that way is an error naming the schedule and the participant.
    /// </summary>
    private List<ReceiverConfig> OncallReceivers(
        IReadOnlyList<OncallSchedule> schedules, IReadOnlyList<Participant> participants, IReadOnlyList<ReceiverConfig> receivers,
        IReadOnlyDictionary<string, object?>? global, ConfigNode? schedulesNode)
    {
        var made = new List<ReceiverConfig>();
        foreach (var schedule in schedules)
        {
            var receiver = schedule.Receiver is { } name ? receivers.FirstOrDefault(r => r.Name == name) : null;
            var bot = receiver?.SlackConfigs.FirstOrDefault(s => s.BotToken is not null || s.BotTokenFile is not null);
            var mail = receiver?.EmailConfigs.FirstOrDefault();
            var smtpGlobal = global is not null && global.TryGetValue("smtp_smarthost", out var host) && host is string { Length: > 0 };
            var (line, path) = ScheduleLine(schedulesNode, schedule.Name);
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
                        Error(line, path, $"schedule \"{schedule.Name}\": participant \"{participant.Name}\" has a slack_user_id, but the schedule's " +
                            "receiver has no slack_config with a bot_token (a direct message needs the Web API)");
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
                        Error(line, path, $"schedule \"{schedule.Name}\": participant \"{participant.Name}\" has an email, but neither the schedule's " +
                            "receiver has an email_config nor global sets smtp_smarthost");
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
        }

        return made;
    }

    /// <summary>The line and path of a schedule's entry in <c>oncall_schedules</c> (found by its name), for errors.</summary>
    private static (int Line, string Path) ScheduleLine(ConfigNode? node, string schedule)
    {
        if (node is ConfigSequence sequence)
        {
            for (var i = 0; i < sequence.Items.Count; i++)
            {
                if (sequence.Items[i] is ConfigMapping map &&
                    map.Entries.Any(e => e.Key.Value == "name" && e.Value is ConfigScalar { Value: var value } && value == schedule))
                {
                    return (map.Line, Index("oncall_schedules", i));
                }
            }
        }

        return (node?.Line ?? 1, "oncall_schedules");
    }
}
