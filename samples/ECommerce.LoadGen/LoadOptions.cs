using System.Globalization;

namespace ECommerce.LoadGen;

/// <summary>How to load the shop: where, how many virtual users, for how long, and how fast they start and act.</summary>
public sealed record LoadOptions
{
    public const string Usage = """
        Usage: ECommerce.LoadGen [options]

          --url URL          the shop's base URL (default http://localhost:3000)
          --users N          concurrent virtual users (default 10)
          --duration TIME    how long to run, e.g. 30s, 5m, 1h (default 60s)
          --ramp-up TIME     start the users evenly over this time (default 10s)
          --think-time TIME  pause between a user's steps, e.g. 250ms or 0 (default 250ms)
          --accounts N       seeded accounts to log in as: user001..userN, shared when users > N (default 50)
          --password TEXT    their password (default demo-password)
          --help             show this text

        A bare number is seconds. Exit code 0 unless the API could not be reached at all (1); 2 for bad options.
        """;

    public Uri Url { get; init; } = new("http://localhost:3000");

    public int Users { get; init; } = 10;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan RampUp { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan ThinkTime { get; init; } = TimeSpan.FromMilliseconds(250);

    public int Accounts { get; init; } = 50;

    public string Password { get; init; } = "demo-password";

    /// <summary>Parses command-line arguments; answers null and an error (or the usage, for --help) when they don't parse.</summary>
    public static (LoadOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        var options = new LoadOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "--help" or "-h" or "-?")
            {
                return (null, Usage);
            }

            string? inline = null;
            var equals = name.IndexOf('=');
            if (name.StartsWith("--", StringComparison.Ordinal) && equals > 0)
            {
                inline = name[(equals + 1)..];
                name = name[..equals];
            }

            if (inline is null && i + 1 >= args.Count)
            {
                return (null, $"{name}: a value is missing");
            }

            var value = inline ?? args[++i];
            switch (name)
            {
                case "--url":
                    if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
                    {
                        return (null, $"--url: \"{value}\" is not an http(s) URL");
                    }

                    options = options with { Url = url };
                    break;
                case "--users":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var users) || users is < 1 or > 10_000)
                    {
                        return (null, $"--users: \"{value}\" is not a number from 1 to 10000");
                    }

                    options = options with { Users = users };
                    break;
                case "--accounts":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var accounts) || accounts is < 1 or > 999)
                    {
                        return (null, $"--accounts: \"{value}\" is not a number from 1 to 999");
                    }

                    options = options with { Accounts = accounts };
                    break;
                case "--duration":
                    if (!TryParseTime(value, out var duration) || duration <= TimeSpan.Zero)
                    {
                        return (null, $"--duration: \"{value}\" is not a positive time such as 30s or 5m");
                    }

                    options = options with { Duration = duration };
                    break;
                case "--ramp-up":
                    if (!TryParseTime(value, out var rampUp))
                    {
                        return (null, $"--ramp-up: \"{value}\" is not a time such as 0, 10s or 1m");
                    }

                    options = options with { RampUp = rampUp };
                    break;
                case "--think-time":
                    if (!TryParseTime(value, out var think))
                    {
                        return (null, $"--think-time: \"{value}\" is not a time such as 0, 250ms or 1s");
                    }

                    options = options with { ThinkTime = think };
                    break;
                case "--password":
                    options = options with { Password = value };
                    break;
                default:
                    return (null, $"{name}: unknown option (see --help)");
            }
        }

        return (options, null);
    }

    /// <summary>Reads "250ms", "30s", "5m", "1h" or a bare number of seconds.</summary>
    public static bool TryParseTime(string text, out TimeSpan time)
    {
        time = TimeSpan.Zero;
        var (number, unit) = text.EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? (text[..^2], 0.001)
            : text.EndsWith('s') ? (text[..^1], 1)
            : text.EndsWith('m') ? (text[..^1], 60)
            : text.EndsWith('h') ? (text[..^1], 3600)
            : (text, 1.0);
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            || value < 0 || value * unit > TimeSpan.FromDays(7).TotalSeconds)
        {
            return false;
        }

        time = TimeSpan.FromSeconds(value * unit);
        return true;
    }
}
