using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.Ingest;

/// <summary>
/// Parses and validates an Alertmanager webhook body (payload version 4). Unknown members are ignored,
/// because Alertmanager adds fields over time; every problem is reported with the path of its field.
/// </summary>
/// <remarks>
/// One forward pass with <see cref="Utf8JsonReader"/>, no document: memory follows the alerts it yields, not the number of
/// JSON tokens (a JsonDocument of a 4 MiB body of <c>{},{},...</c> rents ~120 MiB of metadata, and keeps it pooled).
/// Longer than the usual file: the pass is one cohesive state machine over a <c>ref struct</c> reader, which cannot be
/// kept in a field, so its helpers take it by reference and stay beside it.
/// </remarks>
public static class WebhookParser
{
    public const string SupportedVersion = "4";

    /// <summary>Reject reasons, used as the <c>reason</c> label of the rejected-requests metric.</summary>
    public const string MalformedJson = "malformed_json";

    public const string InvalidPayload = "invalid_payload";

    /// <summary>
    /// Reporting stops after this many errors: a 4 MiB body of broken alerts must not become a 100 MB answer and log line.
    /// </summary>
    public const int MaxErrors = 100;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 16 };

    // The members the parser reads. Each may appear once: a repeated name makes the object ambiguous (which value counts?),
    // so it is an error rather than last-wins. Unknown members are skipped unread.
    private static readonly Member[] EnvelopeMembers = Members(
        "version", "status", "receiver", "groupKey", "externalURL", "truncatedAlerts", "groupLabels", "commonLabels", "commonAnnotations", "alerts");

    private const int EnvelopeVersion = 0, EnvelopeStatus = 1, EnvelopeReceiver = 2, EnvelopeGroupKey = 3, EnvelopeExternalUrl = 4,
        EnvelopeTruncated = 5, EnvelopeGroupLabels = 6, EnvelopeCommonLabels = 7, EnvelopeCommonAnnotations = 8, EnvelopeAlerts = 9;

    // In the order Alertmanager writes them, so the usual body matches each name on the first comparisons.
    private static readonly Member[] AlertMembers = Members("status", "labels", "annotations", "startsAt", "endsAt", "generatorURL", "fingerprint");

    private const int AlertStatusMember = 0, AlertLabels = 1, AlertAnnotations = 2, AlertStartsAt = 3, AlertEndsAt = 4, AlertGeneratorUrl = 5,
        AlertFingerprint = 6;

    private const string Repeated = "appears more than once in the same object; a repeated name is ambiguous, so the body is rejected";

    public static WebhookParseResult Parse(ReadOnlyMemory<byte> body) => Parse(new ReadOnlySequence<byte>(body));

    public static WebhookParseResult Parse(ReadOnlySequence<byte> body)
    {
        var reader = new Utf8JsonReader(WithoutByteOrderMark(body), ReaderOptions);
        try
        {
            return ParseDocument(ref reader);
        }
        catch (JsonException ex)
        {
            // Syntax (or nesting depth) is checked as the pass goes; whatever field errors were found before it do not count.
            var where = ex.LineNumber is { } line ? $" at line {line + 1}, byte {ex.BytePositionInLine + 1}" : "";
            return WebhookParseResult.Rejected(MalformedJson, [new FieldError("$", $"the body is not valid JSON{where}: {Reason(ex)}")]);
        }
    }

    /// <summary>System.Text.Json's description (e.g. "The maximum configured depth of 16 has been exceeded") without its position.</summary>
    private static string Reason(JsonException ex)
    {
        var end = ex.Message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (end > 0 ? ex.Message[..end] : ex.Message).TrimEnd();
    }

    /// <summary>RFC 8259 lets a parser ignore a UTF-8 byte order mark (a script's file saved by an editor may start with one).</summary>
    private static ReadOnlySequence<byte> WithoutByteOrderMark(ReadOnlySequence<byte> body)
    {
        if (body.Length < 3)
        {
            return body;
        }

        Span<byte> head = stackalloc byte[3];
        body.Slice(0, 3).CopyTo(head);
        return head.SequenceEqual((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? body.Slice(3) : body;
    }

    private static WebhookParseResult ParseDocument(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            EnsureEnd(ref reader);
            return WebhookParseResult.Rejected(InvalidPayload, [new FieldError("$", "the body must be a JSON object")]);
        }

        var errors = new Problems();
        var warnings = new List<FieldError>();
        var seen = new bool[EnvelopeMembers.Length];
        var present = new bool[EnvelopeMembers.Length]; // seen with a value other than null
        string? version = null;
        AlertStatus? status = null;
        string receiver = "", groupKey = "", externalUrl = "";
        var truncated = 0;
        LabelSet groupLabels = LabelSet.Empty, commonLabels = LabelSet.Empty, commonAnnotations = LabelSet.Empty;
        var alerts = new List<Alert>();

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var member = MatchMember(ref reader, EnvelopeMembers);
            reader.Read();
            if (member < 0)
            {
                reader.Skip();
                continue;
            }

            var name = new FieldPath(-1, EnvelopeMembers[member].Name);
            if (seen[member])
            {
                errors.Add(name, Repeated);
                reader.Skip();
                continue;
            }

            seen[member] = true;
            present[member] = reader.TokenType != JsonTokenType.Null;
            if (!present[member])
            {
                continue; // as if absent
            }

            switch (member)
            {
                case EnvelopeVersion:
                    version = StringValue(ref reader, name, errors);
                    if (version is not null && version != SupportedVersion)
                    {
                        errors.Add(name, $"unsupported payload version {Excerpt(ref reader)}; AlertRelay accepts version \"{SupportedVersion}\"");
                    }

                    break;
                case EnvelopeStatus:
                    status = StatusValue(ref reader, name, errors);
                    break;
                case EnvelopeReceiver:
                    receiver = StringValue(ref reader, name, errors) ?? "";
                    break;
                case EnvelopeGroupKey:
                    groupKey = StringValue(ref reader, name, errors) ?? "";
                    break;
                case EnvelopeExternalUrl:
                    externalUrl = StringValue(ref reader, name, errors) ?? "";
                    break;
                case EnvelopeTruncated:
                    truncated = CountValue(ref reader, name, errors);
                    break;
                case EnvelopeGroupLabels:
                    groupLabels = StringMap(ref reader, name, errors);
                    break;
                case EnvelopeCommonLabels:
                    commonLabels = StringMap(ref reader, name, errors);
                    break;
                case EnvelopeCommonAnnotations:
                    commonAnnotations = StringMap(ref reader, name, errors);
                    break;
                case EnvelopeAlerts:
                    ParseAlerts(ref reader, alerts, errors, warnings);
                    break;
            }
        }

        EnsureEnd(ref reader);
        if (!present[EnvelopeVersion])
        {
            errors.Add(new FieldPath(-1, "version"), $"is required and must be \"{SupportedVersion}\"");
        }

        if (!present[EnvelopeStatus])
        {
            errors.Add(new FieldPath(-1, "status"), "is required (\"firing\" or \"resolved\")");
        }

        if (!present[EnvelopeAlerts])
        {
            errors.Add(new FieldPath(-1, "alerts"), "is required (an array of alerts)");
        }

        if (errors.Full)
        {
            errors.List.Add(new FieldError("$", $"reporting stopped after {MaxErrors} errors; the body may have more"));
        }

        if (errors.List.Count > 0)
        {
            return WebhookParseResult.Rejected(InvalidPayload, errors.List);
        }

        var message = new WebhookMessage(receiver, status!.Value, groupKey, truncated, groupLabels, commonLabels, commonAnnotations, externalUrl, alerts);
        return new WebhookParseResult(message, null, []) { Warnings = warnings };
    }

    /// <summary>After the root value only whitespace may follow; anything else makes the reader throw (malformed JSON).</summary>
    private static void EnsureEnd(ref Utf8JsonReader reader)
    {
        while (reader.Read())
        {
        }
    }

    private static void ParseAlerts(ref Utf8JsonReader reader, List<Alert> alerts, Problems errors, List<FieldError> warnings)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            errors.Add(new FieldPath(-1, "alerts"), $"must be an array, not {Describe(reader.TokenType)}");
            reader.Skip();
            return;
        }

        // Reused: one alert is read completely before the next. present = seen with a value other than null.
        var seen = new bool[AlertMembers.Length];
        var present = new bool[AlertMembers.Length];
        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (errors.Full)
            {
                reader.Skip(); // only the syntax of the rest is checked now
                continue;
            }

            if (ParseAlert(ref reader, index, seen, present, errors, warnings) is { } alert)
            {
                alerts.Add(alert);
            }

            index++;
        }
    }

    private static Alert? ParseAlert(ref Utf8JsonReader reader, int index, bool[] seen, bool[] present, Problems errors, List<FieldError> warnings)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            errors.Add(new FieldPath(index, null), $"must be an object, not {Describe(reader.TokenType)}");
            reader.Skip();
            return null;
        }

        var errorCount = errors.Total;
        Array.Clear(seen);
        Array.Clear(present);
        AlertStatus? status = null;
        LabelSet? labels = null;
        var annotations = LabelSet.Empty;
        DateTimeOffset? startsAt = null, endsAt = null;
        var startsAtIsZero = false;
        string generatorUrl = "";
        string? sentFingerprint = null;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var member = MatchMember(ref reader, AlertMembers);
            reader.Read();
            if (member < 0)
            {
                reader.Skip();
                continue;
            }

            var path = new FieldPath(index, AlertMembers[member].Name);
            if (seen[member])
            {
                errors.Add(path, Repeated);
                reader.Skip();
                continue;
            }

            seen[member] = true;
            present[member] = reader.TokenType != JsonTokenType.Null;
            if (!present[member])
            {
                continue; // as if absent
            }

            switch (member)
            {
                case AlertStatusMember:
                    status = StatusValue(ref reader, path, errors);
                    break;
                case AlertLabels:
                    var labelErrors = errors.Total;
                    labels = StringMap(ref reader, path, errors);
                    if (labels.Count == 0 && errors.Total == labelErrors)
                    {
                        errors.Add(path, "must not be empty: an alert is identified by its labels");
                    }

                    break;
                case AlertAnnotations:
                    annotations = StringMap(ref reader, path, errors);
                    break;
                case AlertStartsAt:
                    startsAt = TimeValue(ref reader, path, errors, out startsAtIsZero);
                    if (startsAtIsZero)
                    {
                        errors.Add(path, "must be set: the zero time 0001-01-01T00:00:00Z is not a start time");
                    }

                    break;
                case AlertEndsAt:
                    endsAt = TimeValue(ref reader, path, errors, out _);
                    break;
                case AlertGeneratorUrl:
                    generatorUrl = StringValue(ref reader, path, errors) ?? "";
                    break;
                case AlertFingerprint:
                    sentFingerprint = StringValue(ref reader, path, errors);
                    break;
            }
        }

        if (!present[AlertStatusMember])
        {
            errors.Add(new FieldPath(index, "status"), "is required (\"firing\" or \"resolved\")");
        }

        if (!present[AlertLabels])
        {
            errors.Add(new FieldPath(index, "labels"), "is required: an alert is identified by its labels");
        }

        if (!present[AlertStartsAt])
        {
            errors.Add(new FieldPath(index, "startsAt"), "is required (an RFC 3339 timestamp)");
        }

        if (errors.Total > errorCount)
        {
            return null;
        }

        var fingerprint = Fingerprint.Of(labels!);
        if (!string.IsNullOrEmpty(sentFingerprint) && sentFingerprint != fingerprint.ToString())
        {
            warnings.Add(new FieldError(new FieldPath(index, "fingerprint").ToString(),
                $"\"{Cut(sentFingerprint)}\" is not the fingerprint of the label set; using the computed \"{fingerprint}\""));
        }

        return new Alert(fingerprint, status!.Value, labels!, annotations, startsAt!.Value, endsAt, generatorUrl);
    }

    /// <summary>
    /// The index of the member the current property name is, or -1. Plain names are compared as bytes; an escaped one is
    /// unescaped first, and one whose escapes are not Unicode (a lone surrogate) is none of ours.
    /// </summary>
    private static int MatchMember(ref Utf8JsonReader reader, Member[] members)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence)
        {
            if (!TryGetString(ref reader, out var name))
            {
                return -1;
            }

            for (var i = 0; i < members.Length; i++)
            {
                if (name == members[i].Name)
                {
                    return i;
                }
            }

            return -1;
        }

        var raw = reader.ValueSpan;
        for (var i = 0; i < members.Length; i++)
        {
            if (raw.SequenceEqual(members[i].Utf8))
            {
                return i;
            }
        }

        return -1;
    }

    private static AlertStatus? StatusValue(ref Utf8JsonReader reader, FieldPath path, Problems errors)
    {
        string? text = null;
        if (reader.TokenType == JsonTokenType.String && !TryGetString(ref reader, out text))
        {
            errors.Add(path, $"is {NotUnicode(ref reader)}");
            return null;
        }

        if (!AlertStatusText.TryParse(text, out var status))
        {
            errors.Add(path, $"unknown status {Excerpt(ref reader)}; expected \"firing\" or \"resolved\"");
            reader.Skip();
            return null;
        }

        return status;
    }

    /// <summary>A timestamp in UTC truncated to milliseconds; Go's zero time (year 1) means "not set" (null, <paramref name="isZero"/>).</summary>
    private static DateTimeOffset? TimeValue(ref Utf8JsonReader reader, FieldPath path, Problems errors, out bool isZero)
    {
        isZero = false;
        string? text = null;
        if (reader.TokenType == JsonTokenType.String && !TryGetString(ref reader, out text))
        {
            errors.Add(path, $"is {NotUnicode(ref reader)}");
            return null;
        }

        if (!Rfc3339.TryParse(text, out var parsed))
        {
            errors.Add(path, $"{Excerpt(ref reader)} is not an RFC 3339 timestamp (e.g. 2026-11-24T22:32:30.253Z)");
            reader.Skip();
            return null;
        }

        isZero = parsed.UtcDateTime.Year <= 1;
        return isZero ? null : UnixMillis.Truncate(parsed);
    }

    /// <summary>The value of a JSON string; null, with an error, when it is another type or not Unicode text.</summary>
    private static string? StringValue(ref Utf8JsonReader reader, FieldPath path, Problems errors)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            errors.Add(path, $"must be a string, not {Describe(reader.TokenType)}");
            reader.Skip();
            return null;
        }

        if (!TryGetString(ref reader, out var value))
        {
            errors.Add(path, $"is {NotUnicode(ref reader)}");
            return null;
        }

        return value;
    }

    private static int CountValue(ref Utf8JsonReader reader, FieldPath path, Problems errors)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var value) || value < 0)
        {
            errors.Add(path, $"must be a non-negative integer, not {Excerpt(ref reader)}");
            reader.Skip();
            return 0;
        }

        return value;
    }

    private static LabelSet StringMap(ref Utf8JsonReader reader, FieldPath path, Problems errors)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            errors.Add(path, $"must be an object of string values, not {Describe(reader.TokenType)}");
            reader.Skip();
            return LabelSet.Empty;
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (errors.Full)
            {
                reader.Read();
                reader.Skip();
                continue;
            }

            if (!TryGetString(ref reader, out var name))
            {
                errors.Add(path, $"has a name that is {NotUnicode(ref reader)}: {Cut(RawValue(ref reader))}");
                reader.Read();
                reader.Skip();
                continue;
            }

            reader.Read();
            if (name.Length == 0)
            {
                errors.Add(path, "has an empty name");
                reader.Skip();
                continue;
            }

            if (reader.TokenType != JsonTokenType.String)
            {
                errors.Add(path.Child(name), $"must be a string, not {Describe(reader.TokenType)}");
                reader.Skip();
                continue;
            }

            if (!TryGetString(ref reader, out var value))
            {
                errors.Add(path.Child(name), $"is {NotUnicode(ref reader)}");
                continue;
            }

            if (!map.TryAdd(name, value))
            {
                errors.Add(path.Child(name), Repeated);
            }
        }

        return LabelSet.FromDistinct(map);
    }

    // System.Text.Json decodes strings on demand and throws when one is not Unicode text: invalid UTF-8 bytes, or an escaped
    // lone surrogate such as "\ud800". That is the client's error (400), never ours (500, which Alertmanager would retry).
    private static bool TryGetString(ref Utf8JsonReader reader, out string value)
    {
        try
        {
            value = reader.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            value = "";
            return false;
        }
    }

    private static string NotUnicode(ref Utf8JsonReader reader) => Utf8.IsValid(RawValue(ref reader))
        ? "not Unicode text: it has an unpaired UTF-16 surrogate escape (such as \\ud800)"
        : "not valid UTF-8";

    /// <summary>The current token as sent (a string without its quotes, escapes kept).</summary>
    private static ReadOnlySpan<byte> RawValue(ref Utf8JsonReader reader) =>
        reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;

    /// <summary>The current value as sent, for messages: a string quoted, a number or literal as is, an object or array described.</summary>
    private static string Excerpt(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => $"\"{Cut(RawValue(ref reader))}\"",
        JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null => Cut(RawValue(ref reader)),
        _ => Describe(reader.TokenType),
    };

    private const int ExcerptBytes = 64;

    /// <summary>At most 64 bytes of raw text; invalid UTF-8 shows as U+FFFD, never throws.</summary>
    private static string Cut(ReadOnlySpan<byte> raw) => raw.Length <= ExcerptBytes
        ? Encoding.UTF8.GetString(raw)
        : Encoding.UTF8.GetString(raw[..ExcerptBytes]) + $"… ({raw.Length} bytes)";

    private static string Cut(string text) => text.Length <= ExcerptBytes ? text : text[..ExcerptBytes] + $"… ({text.Length} chars)";

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    private static Member[] Members(params string[] names) => [.. names.Select(name => new Member(name, Encoding.UTF8.GetBytes(name)))];

    private sealed record Member(string Name, byte[] Utf8);

    /// <summary>The field errors of one body, at most <see cref="MaxErrors"/> of them.</summary>
    private sealed class Problems
    {
        public List<FieldError> List { get; } = [];

        /// <summary>Every error found, including those not kept.</summary>
        public int Total { get; private set; }

        public bool Full => List.Count >= MaxErrors;

        public void Add(FieldPath field, string message)
        {
            Total++;
            if (Full)
            {
                return;
            }

            List.Add(new FieldError(field.ToString(), message));
        }
    }

    /// <summary>
    /// Where a field is: <c>status</c> (envelope, index -1), <c>alerts[2]</c>, <c>alerts[2].labels</c>, <c>alerts[2].labels.team</c>.
    /// Formatted only when an error is reported, so valid alerts build no path strings; a label name is cut to 64 characters,
    /// so that a megabyte-long one is not echoed back in the answer and the log.
    /// </summary>
    private readonly record struct FieldPath(int Index, string? Member, string? Key = null)
    {
        public FieldPath Child(string key) => this with { Key = key };

        public override string ToString()
        {
            var member = Index < 0 ? Member! : Member is null ? $"alerts[{Index}]" : $"alerts[{Index}].{Member}";
            return Key is null ? member : $"{member}.{Cut(Key)}";
        }
    }
}
