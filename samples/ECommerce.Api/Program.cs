using ECommerce.Api.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddECommerce();

var app = builder.Build();
app.UseECommerce();
app.Run();

/// <summary>The demo shop's entry point, public so that tests can start it with WebApplicationFactory.</summary>
public partial class Program;
