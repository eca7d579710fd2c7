using AlertRelay.Core.Notify;
using AlertRelay.Core.Notify.Email;
using static AlertRelay.Tests.Notify.Email.EmailSamples;

namespace AlertRelay.Tests.Notify.Email;

/// <summary>Reminder mails: a reply to the firing mail (same subject after "Re: ", so every client threads it), or a mail of their own.</summary>
public sealed class EmailReminderTests
{
    private static NotificationMessage Reminder(string? previousMessageId) =>
        new(45, "team-email", NotificationKind.Reminder, [Alert()], previousMessageId is null ? null : new DeliveryRef(EmailMessageId: previousMessageId))
        {
            EscalationStep = "reminder 3 after 1h45m",
        };

    private static EmailSettings Settings()
    {
        Assert.True(EmailSettings.TryResolve(Config("smtp.example.com:25"), NoGlobal, out var settings, out var error), error);
        return settings!;
    }

    [Fact]
    public void Build_RepliesToTheFiringMail_WhenItWasDelivered()
    {
        var mail = EmailMessageBuilder.Build(Reminder("<alertrelay.41.abc@relay.example.com>"), Settings(), Now);

        Assert.Equal("alertrelay.41.abc@relay.example.com", mail.InReplyTo);
        Assert.Equal(["alertrelay.41.abc@relay.example.com"], mail.References);
        Assert.Equal("Re: [FIRING:1] HighErrorRate critical", mail.Subject);
        Assert.Contains("\n\nReminder 3: still firing and unacknowledged for 1h45m — HighErrorRate.\n", mail.TextBody);
    }

    [Fact]
    public void Build_StartsAConversationMarkedAsAReminder_WhenThereIsNoFiringMail()
    {
        var mail = EmailMessageBuilder.Build(Reminder(previousMessageId: null), Settings(), Now);

        Assert.Null(mail.InReplyTo);
        Assert.Equal("[REMINDER 3] HighErrorRate critical", mail.Subject);
    }
}
