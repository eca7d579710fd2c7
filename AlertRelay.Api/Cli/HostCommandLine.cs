using Microsoft.Extensions.Hosting;

namespace AlertRelay.Api.Cli;

/// <summary>
/// The command line as the web host reads it (settings: <c>--key value</c>, <c>--key=value</c>, <c>/key value</c>), and the
/// host's start-up rules that must not depend on the working directory: the content root (where appsettings.json is
/// read and relative paths resolve) and the default listen address.
/// </summary>
public static class HostCommandLine
{
    /// <summary>The listen address when no <c>urls</c>, <c>http_ports</c> or <c>https_ports</c> setting gives one.</summary>
    public const string DefaultUrls = "http://localhost:5001";

    /// <summary>
    /// The index of the first argument the host's command-line configuration would not take as a setting (a bare word
    /// such as a mistyped command, a single-dash option, a key without its value), or -1 when every argument is a
    /// setting. The host silently ignores such arguments; AlertRelay refuses them instead of starting.
    /// </summary>
    /// <remarks>The same reading as Microsoft.Extensions.Configuration.CommandLine without switch mappings.</remarks>
    public static int IndexOfNonSetting(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var key = arg.StartsWith("--", StringComparison.Ordinal) ? arg[2..]
                : arg.StartsWith('/') ? arg[1..]
                : null; // a bare word, or a single-dash option (ignored, or refused with '=', by the host)
            if (key is null || key.Length == 0 || key[0] == '=')
            {
                return i;
            }

            if (!key.Contains('=', StringComparison.Ordinal) && ++i >= args.Count)
            {
                return i - 1; // a key without its value
            }
        }

        return -1;
    }

    /// <summary>
    /// The content root: the operator's (<c>--contentRoot</c>, <c>ASPNETCORE_CONTENTROOT</c>, <c>DOTNET_CONTENTROOT</c>,
    /// read from the same sources in the same order as the host; a relative one is relative to the application's
    /// directory, as ASP.NET Core resolves it), else the application's directory (<see cref="AppContext.BaseDirectory"/>),
    /// never the working directory.
    /// </summary>
    public static string ContentRoot(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var configured = new ConfigurationBuilder()
            .AddEnvironmentVariables("ASPNETCORE_")
            .AddEnvironmentVariables("DOTNET_")
            .AddCommandLine([.. args])
            .Build()[HostDefaults.ContentRootKey];
        return Path.GetFullPath(string.IsNullOrEmpty(configured) ? AppContext.BaseDirectory : configured, AppContext.BaseDirectory);
    }

    /// <summary>
    /// The web host's builder for <paramref name="args"/> (settings only, see <see cref="IndexOfNonSetting"/>): its content
    /// root is <see cref="ContentRoot"/>, and it listens on <see cref="DefaultUrls"/> unless a setting says otherwise
    /// (a default here rather than in appsettings.json, where it would override <c>ASPNETCORE_URLS</c>).
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        // Given as a first argument, not as WebApplicationOptions.ContentRootPath, which nothing could override: the
        // operator's --contentRoot comes later and wins, and so does a test host's (WebApplicationFactory's project directory).
        var builder = WebApplication.CreateBuilder([$"--{HostDefaults.ContentRootKey}={ContentRoot(args)}", .. args]);
        if (new[] { WebHostDefaults.ServerUrlsKey, WebHostDefaults.HttpPortsKey, WebHostDefaults.HttpsPortsKey }
            .All(key => string.IsNullOrEmpty(builder.Configuration[key])))
        {
            builder.WebHost.UseUrls(DefaultUrls);
        }

        return builder;
    }
}
