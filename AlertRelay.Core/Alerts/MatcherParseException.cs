namespace AlertRelay.Core.Alerts;

/// <summary>Thrown when a label matcher, or the regular expression in one, is not valid.</summary>
public sealed class MatcherParseException : FormatException
{
    /// <summary>Creates the exception for <paramref name="input"/>, with <paramref name="reason"/> saying what is wrong with it.</summary>
    public MatcherParseException(string input, string reason, Exception? innerException = null)
        : base($"Invalid label matcher `{input}`: {reason}", innerException)
    {
        Input = input;
        Reason = reason;
    }

    /// <summary>The text that failed to parse: a single matcher, e.g. <c>foo=~"[a-z"</c>.</summary>
    public string Input { get; }

    /// <summary>What is wrong with <see cref="Input"/>, without the input itself.</summary>
    public string Reason { get; }
}
