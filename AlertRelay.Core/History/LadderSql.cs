namespace AlertRelay.Core.History;

/// <summary>SQL on an occurrence's escalation ladder that both engines run as is (parameters <c>@Id</c>, <c>@Now</c>).</summary>
internal static class LadderSql
{
    /// <summary>
    /// What held the ladder is gone (an acknowledgement taken back, a silence lifted): the scheduler looks at it on its next pass
    /// and runs the steps due, and its reminders start again from now (the next one interval later), not with the ones held back.
    /// </summary>
    public const string Resume =
        "UPDATE escalations SET next_due_ms = @Now, next_reminder_ms = NULL, updated_at_ms = @Now WHERE occurrence_id = @Id";
}
