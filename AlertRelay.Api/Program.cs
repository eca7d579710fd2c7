using System.Reflection;
using AlertRelay.Api.Cli;
using AlertRelay.Api.Hosting;
using AlertRelay.Core.History;
using Microsoft.Extensions.Options;

// A command (config check, routes test, history backup), --help, --version, or a command line that is neither a command
// nor settings (a usage error): run it and exit. No arguments, or settings alone (--urls ...), start the web host.
if (CliCommands.TryRun(args, out var exitCode))
{
    return exitCode;
}

// The content root is the application's directory unless the operator sets one: appsettings.json is read from it, and
// every relative path (the database, the configuration file, token files, the YAML file's *_file) resolves against it,
// wherever the process was started from. A test host (WebApplicationFactory) runs this code inside the test process,
// whose working directory is not ours to change.
var builder = HostCommandLine.CreateBuilder(args);
if (Assembly.GetEntryAssembly() == typeof(Program).Assembly)
{
    Directory.SetCurrentDirectory(builder.Environment.ContentRootPath);
}

builder.AddAlertRelay();

var app = builder.Build();
if (!File.Exists(Path.Combine(app.Environment.ContentRootPath, "appsettings.json")))
{
    app.Logger.LogWarning("No appsettings.json in the content root {contentRoot}: running on built-in defaults. Set --contentRoot or ASPNETCORE_CONTENTROOT to the directory holding it.", app.Environment.ContentRootPath);
}

try
{
    app.UseAlertRelay();
}
catch (Exception ex) when (ex is StoreStartupException or OptionsValidationException)
{
    // A setting the operator must fix (an unreachable PostgreSQL, a wrong connection string, a schema newer than this build):
    // one line naming it, no stack trace, and a non-zero exit for the service manager.
    Console.Error.WriteLine($"alertrelay: cannot start: {ex.Message}");
    return 1;
}

app.Run();
return 0;

/// <summary>The host's entry point, public so that tests can start it with WebApplicationFactory.</summary>
public partial class Program;
