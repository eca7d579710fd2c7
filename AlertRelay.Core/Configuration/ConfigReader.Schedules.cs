using System.Globalization;
using AlertRelay.Core.Schedules;
using NodaTime;
using NodaTime.Text;

namespace AlertRelay.Core.Configuration;

/// <summary>The <c>participants:</c> and <c>oncall_schedules:</c> sections (AlertRelay's own).</summary>
internal sealed partial class ConfigReader
{
    private static readonly string[] ParticipantKeys = ["name", "email", "slack_user_id"];

    private static readonly string[] ScheduleKeys = ["name", "timezone", "receiver", "rotation", "overrides"];

    private static readonly string[] RotationKeys = ["start", "length", "participants"];

    private static readonly string[] OverrideKeys = ["participant", "from", "to"];

    private static readonly LocalDateTimePattern[] LocalTimePatterns =
    [
        LocalDateTimePattern.Create("uuuu'-'MM'-'dd'T'HH':'mm", CultureInfo.InvariantCulture),
        LocalDateTimePattern.Create("uuuu'-'MM'-'dd'T'HH':'mm':'ss", CultureInfo.InvariantCulture),
    ];

    /// <summary>Where each participant was defined (the line of its name), for messages that point back to it.</summary>
    private readonly Dictionary<string, int> _participantLines = new(StringComparer.Ordinal);

    /// <summary>
    /// Every schedule name read, valid or not: <c>oncall:&lt;name&gt;</c> stays a known receiver when the schedule itself has an error,
    /// so that one mistake is not reported again at every route and step that pages it.
    /// </summary>
    private readonly HashSet<string> _scheduleNames = new(StringComparer.Ordinal);

    private List<Participant> ReadParticipants(ConfigNode? node)
    {
        var participants = new List<Participant>();
        var items = Sequence(node, "participants");
        for (var i = 0; i < items.Count; i++)
        {
            var path = Index("participants", i);
            if (Mapping(items[i], path) is not { } map)
            {
                continue;
            }

            var fields = Fields(map, path, ParticipantKeys);
            var name = Required(fields, "name", map, path);
            var email = NullIfEmpty(Text(fields, "email", path));
            var slackUserId = NullIfEmpty(Text(fields, "slack_user_id", path));
            if (name is null)
            {
                continue;
            }

            var line = fields["name"].Value.Line;
            if (!_participantLines.TryAdd(name, line))
            {
                Error(line, Child(path, "name"), $"duplicate participant name \"{name}\" (first defined on line {_participantLines[name]})");
                continue;
            }

            participants.Add(new Participant(name, email, slackUserId));
        }

        return participants;
    }

    private List<OncallSchedule> ReadSchedules(ConfigNode? node, IReadOnlyList<Participant> participants, IReadOnlySet<string> receivers)
    {
        var byName = participants.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var schedules = new List<OncallSchedule>();
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        var items = Sequence(node, "oncall_schedules");
        for (var i = 0; i < items.Count; i++)
        {
            var path = Index("oncall_schedules", i);
            if (Mapping(items[i], path) is not { } map)
            {
                continue;
            }

            var fields = Fields(map, path, ScheduleKeys);
            var name = Required(fields, "name", map, path);
            if (name is not null)
            {
                _scheduleNames.Add(name);
            }

            if (name is not null && !IsScheduleName(name))
            {
                Error(fields["name"].Value.Line, Child(path, "name"),
                    $"invalid schedule name \"{name}\" (letters, digits, '_' and '-' only: it is part of URLs and of oncall:<name> receivers)");
                name = null;
            }

            if (name is not null && !firstLine.TryAdd(name, fields["name"].Value.Line))
            {
                Error(fields["name"].Value.Line, Child(path, "name"), $"duplicate schedule name \"{name}\" (first defined on line {firstLine[name]})");
                name = null;
            }

            var zone = ReadTimeZone(fields, map, path);
            var receiver = NullIfEmpty(Text(fields, "receiver", path));
            if (receiver is not null && !receivers.Contains(receiver))
            {
                Error(fields["receiver"].Value.Line, Child(path, "receiver"), $"undefined receiver \"{receiver}\"");
            }

            var unreachable = new HashSet<string>(StringComparer.Ordinal); // reported once per schedule
            var rotation = ReadRotation(fields, map, path, byName, unreachable);
            var overrides = ReadOverrides(Value(fields, "overrides"), Child(path, "overrides"), byName, unreachable);
            if (name is not null && zone is not null && rotation is not null && overrides is not null)
            {
                schedules.Add(new OncallSchedule(name, zone, rotation, overrides) { Receiver = receiver });
            }
        }

        return schedules;
    }

    private static bool IsScheduleName(string name) => name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    private DateTimeZone? ReadTimeZone(Dictionary<string, Field> fields, ConfigMapping map, string path)
    {
        var id = Required(fields, "timezone", map, path);
        if (id is null)
        {
            return null;
        }

        if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(id) is { } zone)
        {
            return zone;
        }

        Error(fields["timezone"].Value.Line, Child(path, "timezone"), $"invalid time zone \"{id}\" (use an IANA name such as Europe/Paris or UTC)");
        return null;
    }

    private Rotation? ReadRotation(
        Dictionary<string, Field> fields, ConfigMapping schedule, string schedulePath, Dictionary<string, Participant> participants,
        HashSet<string> unreachable)
    {
        var path = Child(schedulePath, "rotation");
        if (Value(fields, "rotation") is not { } node)
        {
            Error(fields.TryGetValue("rotation", out var field) ? field.Key.Line : schedule.Line, path, "missing required field \"rotation\"");
            return null;
        }

        if (Mapping(node, path) is not { } map)
        {
            return null;
        }

        var rotation = Fields(map, path, RotationKeys);
        var start = LocalTime(rotation, "start", map, path);
        var length = RotationLength(rotation, map, path);

        var participantsPath = Child(path, "participants");
        var items = Sequence(Value(rotation, "participants"), participantsPath);
        var valid = true;
        if (items.Count == 0 && Value(rotation, "participants") is null or ConfigSequence)
        {
            var line = rotation.TryGetValue("participants", out var field) ? field.Key.Line : map.Line;
            Error(line, participantsPath, "a rotation needs at least one participant");
            valid = false;
        }

        var names = new List<string>();
        for (var i = 0; i < items.Count; i++)
        {
            var itemPath = Index(participantsPath, i);
            var participant = String(items[i], itemPath);
            if (string.IsNullOrEmpty(participant))
            {
                Error(items[i].Line, itemPath, "expected a participant name, got " + items[i].Describe());
                valid = false;
            }
            else if (!CheckParticipant(participant, items[i].Line, itemPath, participants, unreachable))
            {
                valid = false;
            }
            else
            {
                names.Add(participant);
            }
        }

        return valid && start is { } s && length is { } l && names.Count == items.Count ? new Rotation(s, l, names) : null;
    }

    private Duration? RotationLength(Dictionary<string, Field> rotation, ConfigMapping map, string path)
    {
        if (!rotation.TryGetValue("length", out var field))
        {
            Error(map.Line, path, "missing required field \"length\"");
            return null;
        }

        if (Duration(field.Value, Child(path, "length")) is not { } length)
        {
            return null;
        }

        if (length <= TimeSpan.Zero)
        {
            Error(field.Value.Line, Child(path, "length"), $"a rotation length must be greater than 0, got {PrometheusDuration.Format(length)}");
            return null;
        }

        return NodaTime.Duration.FromTimeSpan(length);
    }

    private List<ScheduleOverride>? ReadOverrides(
        ConfigNode? node, string path, Dictionary<string, Participant> participants, HashSet<string> unreachable)
    {
        var overrides = new List<(ScheduleOverride Override, int Line, string Path)>();
        var valid = true;
        var items = Sequence(node, path);
        for (var i = 0; i < items.Count; i++)
        {
            var itemPath = Index(path, i);
            if (Mapping(items[i], itemPath) is not { } map)
            {
                valid = false;
                continue;
            }

            var fields = Fields(map, itemPath, OverrideKeys);
            var participant = Required(fields, "participant", map, itemPath);
            var known = participant is not null &&
                CheckParticipant(participant, fields["participant"].Value.Line, Child(itemPath, "participant"), participants, unreachable);
            var from = LocalTime(fields, "from", map, itemPath);
            var to = LocalTime(fields, "to", map, itemPath);
            if (from is { } f && to is { } t && t <= f)
            {
                Error(fields["to"].Value.Line, Child(itemPath, "to"), $"an override must end after it starts: to {LocalTimePatterns[1].Format(t)} is not after from {LocalTimePatterns[1].Format(f)}");
                valid = false;
            }
            else if (known && from is not null && to is not null)
            {
                overrides.Add((new ScheduleOverride(participant!, from.Value, to.Value), map.Line, itemPath));
            }
            else
            {
                valid = false;
            }
        }

        // Two overrides at once would put two people on call: name both.
        for (var i = 0; i < overrides.Count; i++)
        {
            for (var j = 0; j < i; j++)
            {
                var (a, b) = (overrides[j].Override, overrides[i].Override);
                if (a.From < b.To && b.From < a.To)
                {
                    Error(overrides[i].Line, overrides[i].Path,
                        $"override overlaps {overrides[j].Path} (line {overrides[j].Line}): {b.Participant} and {a.Participant} would both be on call");
                    valid = false;
                }
            }
        }

        return valid ? overrides.Select(o => o.Override).ToList() : null;
    }

    /// <summary>Whether <paramref name="name"/> is a participant who can be paged; reports it when not.</summary>
    private bool CheckParticipant(string name, int line, string path, Dictionary<string, Participant> participants, HashSet<string> unreachable)
    {
        if (!participants.TryGetValue(name, out var participant))
        {
            Error(line, path, $"unknown participant \"{name}\" (not in participants)");
            return false;
        }

        if (participant.Email is null && participant.SlackUserId is null)
        {
            if (unreachable.Add(name))
            {
                Error(line, path,
                    $"participant \"{name}\" (line {_participantLines[name]}) has neither email nor slack_user_id: a page would reach nobody");
            }

            return false;
        }

        return true;
    }

    /// <summary>A required local date and time, <c>2026-01-05T09:00</c> or <c>2026-01-05T09:00:00</c> (no offset: the schedule's time zone).</summary>
    private LocalDateTime? LocalTime(Dictionary<string, Field> fields, string key, ConfigMapping map, string path)
    {
        var text = Required(fields, key, map, path);
        if (text is null)
        {
            return null;
        }

        foreach (var pattern in LocalTimePatterns)
        {
            if (pattern.Parse(text) is { Success: true } result)
            {
                return result.Value;
            }
        }

        Error(fields[key].Value.Line, Child(path, key), $"invalid local time \"{text}\" (use yyyy-MM-ddTHH:mm or yyyy-MM-ddTHH:mm:ss, without an offset)");
        return null;
    }
}
