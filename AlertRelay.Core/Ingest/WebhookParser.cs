using System.Buffers;
using System.Text.Json;
using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.Ingest;

/// <summary>
/// Parses and validates an Alertmanager webhook body (payload version 4). Unknown members are ignored,
/// because Alertmanager adds fields over time; every problem is reported with the path of its field.
/// </summary>
public static class WebhookParser
{
    public const string SupportedVersion = "4";

    /// <summary>Reject reasons, used as the <c>reason</c> label of the rejected-requests metric.</summary>
    public const string MalformedJson = "malformed_json";

    public const string InvalidPayload = "invalid_payload";

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 16 };

    public static WebhookParseResult Parse(ReadOnlyMemory<byte> body) => Parse(new ReadOnlySequence<byte>(body));

    public static WebhookParseResult Parse(ReadOnlySequence<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" at line {line + 1}, byte {ex.BytePositionInLine + 1}" : "";
            return WebhookParseResult.Rejected(MalformedJson, [new FieldError("$", $"the body is not valid JSON{where}")]);
        }

        using (document)
        {
            return Parse(document.RootElement);
        }
    }

    private static WebhookParseResult Parse(JsonElement root)
    {
        var errors = new List<FieldError>();
        var warnings = new List<FieldError>();
        if (root.ValueKind != JsonValueKind.Object)
        {
            return WebhookParseResult.Rejected(InvalidPayload, [new FieldError("$", "the body must be a JSON object")]);
        }

        var version = OptionalString(root, "version", "version", errors);
        if (version is null)
        {
            if (!root.TryGetProperty("version", out _))
            {
                errors.Add(new FieldError("version", $"is required and must be \"{SupportedVersion}\""));
            }
        }
        else if (version != SupportedVersion)
        {
            errors.Add(new FieldError("version", $"unsupported payload version \"{version}\"; AlertRelay accepts version \"{SupportedVersion}\""));
        }

        var status = RequiredStatus(root, "status", "status", errors);
        var receiver = OptionalString(root, "receiver", "receiver", errors) ?? "";
        var groupKey = OptionalString(root, "groupKey", "groupKey", errors) ?? "";
        var externalUrl = OptionalString(root, "externalURL", "externalURL", errors) ?? "";
        var truncated = OptionalCount(root, "truncatedAlerts", errors);
        var groupLabels = OptionalStringMap(root, "groupLabels", "groupLabels", errors);
        var commonLabels = OptionalStringMap(root, "commonLabels", "commonLabels", errors);
        var commonAnnotations = OptionalStringMap(root, "commonAnnotations", "commonAnnotations", errors);

        var alerts = new List<Alert>();
        if (!root.TryGetProperty("alerts", out var alertsElement) || alertsElement.ValueKind == JsonValueKind.Null)
        {
            errors.Add(new FieldError("alerts", "is required (an array of alerts)"));
        }
        else if (alertsElement.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new FieldError("alerts", $"must be an array, not {Describe(alertsElement)}"));
        }
        else
        {
            var index = 0;
            foreach (var element in alertsElement.EnumerateArray())
            {
                var alert = ParseAlert(element, $"alerts[{index}]", errors, warnings);
                if (alert is not null)
                {
                    alerts.Add(alert);
                }

                index++;
            }
        }

        if (errors.Count > 0)
        {
            return WebhookParseResult.Rejected(InvalidPayload, errors);
        }

        var message = new WebhookMessage(receiver, status, groupKey, truncated, groupLabels, commonLabels, commonAnnotations, externalUrl, alerts);
        return new WebhookParseResult(message, null, []) { Warnings = warnings };
    }

    private static Alert? ParseAlert(JsonElement element, string path, List<FieldError> errors, List<FieldError> warnings)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError(path, $"must be an object, not {Describe(element)}"));
            return null;
        }

        var errorCount = errors.Count;
        var status = RequiredStatus(element, "status", $"{path}.status", errors);

        LabelSet labels = LabelSet.Empty;
        if (!element.TryGetProperty("labels", out var labelsElement) || labelsElement.ValueKind == JsonValueKind.Null)
        {
            errors.Add(new FieldError($"{path}.labels", "is required: an alert is identified by its labels"));
        }
        else
        {
            labels = StringMap(labelsElement, $"{path}.labels", errors);
            if (labels.Count == 0 && labelsElement.ValueKind == JsonValueKind.Object)
            {
                errors.Add(new FieldError($"{path}.labels", "must not be empty: an alert is identified by its labels"));
            }
        }

        var annotations = OptionalStringMap(element, "annotations", $"{path}.annotations", errors);
        var startsAt = RequiredTime(element, "startsAt", $"{path}.startsAt", errors);
        var endsAt = OptionalTime(element, "endsAt", $"{path}.endsAt", errors);
        var generatorUrl = OptionalString(element, "generatorURL", $"{path}.generatorURL", errors) ?? "";
        var sentFingerprint = OptionalString(element, "fingerprint", $"{path}.fingerprint", errors);

        if (errors.Count > errorCount)
        {
            return null;
        }

        var fingerprint = Fingerprint.Of(labels);
        if (!string.IsNullOrEmpty(sentFingerprint) && sentFingerprint != fingerprint.ToString())
        {
            warnings.Add(new FieldError($"{path}.fingerprint",
                $"\"{sentFingerprint}\" is not the fingerprint of the label set; using the computed \"{fingerprint}\""));
        }

        return new Alert(fingerprint, status, labels, annotations, startsAt!.Value, endsAt, generatorUrl);
    }

    private static AlertStatus RequiredStatus(JsonElement parent, string name, string path, List<FieldError> errors)
    {
        if (!parent.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            errors.Add(new FieldError(path, "is required (\"firing\" or \"resolved\")"));
            return default;
        }

        if (element.ValueKind != JsonValueKind.String || !AlertStatusText.TryParse(element.GetString(), out var status))
        {
            errors.Add(new FieldError(path, $"unknown status {element.GetRawText()}; expected \"firing\" or \"resolved\""));
            return default;
        }

        return status;
    }

    private static DateTimeOffset? RequiredTime(JsonElement parent, string name, string path, List<FieldError> errors)
    {
        if (!parent.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            errors.Add(new FieldError(path, "is required (an RFC 3339 timestamp)"));
            return null;
        }

        if (!TryTime(element, path, errors, out var value))
        {
            return null;
        }

        if (value is null)
        {
            errors.Add(new FieldError(path, "must be set: the zero time 0001-01-01T00:00:00Z is not a start time"));
        }

        return value;
    }

    private static DateTimeOffset? OptionalTime(JsonElement parent, string name, string path, List<FieldError> errors) =>
        parent.TryGetProperty(name, out var element) && element.ValueKind != JsonValueKind.Null && TryTime(element, path, errors, out var value)
            ? value
            : null;

    /// <summary>A timestamp in UTC truncated to milliseconds; Go's zero time (year 1) means "not set" (null).</summary>
    private static bool TryTime(JsonElement element, string path, List<FieldError> errors, out DateTimeOffset? value)
    {
        value = null;
        if (element.ValueKind != JsonValueKind.String || !Rfc3339.TryParse(element.GetString(), out var parsed))
        {
            errors.Add(new FieldError(path, $"{element.GetRawText()} is not an RFC 3339 timestamp (e.g. 2026-11-24T22:32:30.253Z)"));
            return false;
        }

        value = parsed.UtcDateTime.Year <= 1 ? null : UnixMillis.Truncate(parsed);
        return true;
    }

    private static string? OptionalString(JsonElement parent, string name, string path, List<FieldError> errors)
    {
        if (!parent.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            errors.Add(new FieldError(path, $"must be a string, not {Describe(element)}"));
            return null;
        }

        return element.GetString();
    }

    private static int OptionalCount(JsonElement parent, string name, List<FieldError> errors)
    {
        if (!parent.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return 0;
        }

        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt32(out var value) || value < 0)
        {
            errors.Add(new FieldError(name, $"must be a non-negative integer, not {element.GetRawText()}"));
            return 0;
        }

        return value;
    }

    private static LabelSet OptionalStringMap(JsonElement parent, string name, string path, List<FieldError> errors) =>
        parent.TryGetProperty(name, out var element) && element.ValueKind != JsonValueKind.Null
            ? StringMap(element, path, errors)
            : LabelSet.Empty;

    private static LabelSet StringMap(JsonElement element, string path, List<FieldError> errors)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError(path, $"must be an object of string values, not {Describe(element)}"));
            return LabelSet.Empty;
        }

        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name.Length == 0)
            {
                errors.Add(new FieldError(path, "has an empty name"));
                continue;
            }

            if (property.Value.ValueKind != JsonValueKind.String)
            {
                errors.Add(new FieldError($"{path}.{property.Name}", $"must be a string, not {Describe(property.Value)}"));
                continue;
            }

            pairs.Add(KeyValuePair.Create(property.Name, property.Value.GetString()!));
        }

        return LabelSet.From(pairs);
    }

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => element.ValueKind.ToString(),
    };
}
