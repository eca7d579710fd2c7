using AlertRelay.Api.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddAlertRelay();

var app = builder.Build();
app.UseAlertRelay();
app.Run();

/// <summary>The host's entry point, public so that tests can start it with WebApplicationFactory.</summary>
public partial class Program;
