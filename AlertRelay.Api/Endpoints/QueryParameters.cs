using System.Globalization;

namespace AlertRelay.Api.Endpoints;

/// <summary>Parsing of query parameters shared by the list endpoints; a bad value is added to <c>errors</c> under its name.</summary>
public static class QueryParameters
{
    /// <summary>A page size from 1 to <paramref name="max"/>, or <paramref name="defaultValue"/> when absent.</summary>
    public static int Limit(Dictionary<string, string[]> errors, string? text, int defaultValue, int max)
    {
        if (text is null)
        {
            return defaultValue;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 1 && value <= max)
        {
            return value;
        }

        errors["limit"] = [$"must be an integer from 1 to {max}"];
        return defaultValue;
    }
}
