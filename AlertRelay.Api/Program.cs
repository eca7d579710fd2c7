using AlertRelay.Api.Hosting;

// `config check FILE` and `routes test ...` are command-line tools; any other arguments start the web host.
if (AlertRelay.Api.Cli.CliCommands.TryRun(args, out var exitCode))
{
    return exitCode;
}

var builder = WebApplication.CreateBuilder(args);
builder.AddAlertRelay();

var app = builder.Build();
app.UseAlertRelay();
app.Run();
return 0;

/// <summary>The host's entry point, public so that tests can start it with WebApplicationFactory.</summary>
public partial class Program;
