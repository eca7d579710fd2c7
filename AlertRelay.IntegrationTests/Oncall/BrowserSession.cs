using System.Drawing;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace AlertRelay.IntegrationTests.Oncall;

/// <summary>
/// Debian's headless Chromium driven through Debian's chromedriver (Selenium WebDriver): nothing is downloaded, no Selenium
/// Manager runs (both paths are given), and a profile of its own in a temporary directory is removed on dispose.
/// </summary>
public sealed class BrowserSession : IDisposable
{
    private readonly string _profile = Path.Combine(Path.GetTempPath(), "alertrelay-tests", "chromium-" + Guid.NewGuid().ToString("N"));
    private readonly ChromeDriverService _service;

    public BrowserSession(Size window)
    {
        Environment.SetEnvironmentVariable("SE_OFFLINE", "true"); // Selenium Manager (unused here) must never fetch anything either
        var chromedriver = DebianTool.Chromedriver.Locate();
        _service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(chromedriver)!, Path.GetFileName(chromedriver));
        _service.HideCommandPromptWindow = true;
        _service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = DebianTool.Chromium.Locate() };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", $"--user-data-dir={_profile}",
            $"--window-size={window.Width},{window.Height}");
        Driver = new ChromeDriver(_service, options, TimeSpan.FromSeconds(60));
    }

    public ChromeDriver Driver { get; }

    /// <summary>Makes the page's viewport exactly <paramref name="width"/> CSS pixels wide, as a phone's (device emulation).</summary>
    public void EmulatePhone(int width, int height) =>
        Driver.ExecuteCdpCommand("Emulation.setDeviceMetricsOverride", new Dictionary<string, object?>
        {
            ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 2, ["mobile"] = true,
        });

    public T Script<T>(string script) => (T)Driver.ExecuteScript(script)!;

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
        _service.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
