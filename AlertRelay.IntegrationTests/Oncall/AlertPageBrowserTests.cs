using System.Drawing;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AlertRelay.IntegrationTests.Reliability;
using OpenQA.Selenium;
using Xunit.Abstractions;

namespace AlertRelay.IntegrationTests.Oncall;

/// <summary>
/// The alert page in a real browser: the built relay as a process sends a firing e-mail to a real SMTP server; the Acknowledge
/// link from that e-mail opens in headless Chromium, a screenshot is kept, the button acknowledges (seen through the API), the
/// same link then says it was used; then a 375-px phone viewport and a keyboard-only pass.
/// </summary>
public sealed partial class AlertPageBrowserTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "alertrelay-tests", "browser-" + Guid.NewGuid().ToString("N"));
    private SmtpSink _smtp = null!;
    private ServerProcess _relay = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _smtp = await SmtpSink.StartAsync();
        var configPath = Path.Combine(_directory, "alertrelay.yml");
        await File.WriteAllTextAsync(configPath, $"""
            route:
              receiver: oncall
            receivers:
              - name: oncall
                email_configs:
                  - to: oncall@example.com
                    from: alertrelay@example.com
                    smarthost: {_smtp.Smarthost}
                    require_tls: false
            """);
        var port = FreePort.Get();
        _relay = await RelayProcess.StartAsync(Path.Combine(_directory, "history.db"), configPath, new Dictionary<string, string>
        {
            ["AlertRelay__Links__Secret"] = "browser-test-links-secret-0123456789abcdef",
            ["AlertRelay__PublicUrl"] = $"http://127.0.0.1:{port}",
        }, port);
    }

    public async Task DisposeAsync()
    {
        await _relay.DisposeAsync();
        await _smtp.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [GeneratedRegex(@"^(Acknowledge|Open in AlertRelay): (http\S+)$", RegexOptions.Multiline)]
    private static partial Regex LinkLine();

    /// <summary>Sends a firing alert through the webhook and returns the links of the e-mail it causes.</summary>
    private async Task<(string Acknowledge, string Page, long Id)> FireAsync(string alertname)
    {
        var before = _smtp.Messages.Count;
        var body = $$"""
            {"receiver":"relay","status":"firing","alerts":[
              {"status":"firing","labels":{"alertname":"{{alertname}}","severity":"critical","instance":"db-1:9187","note":"<b>\"quoted\"</b>"},
               "annotations":{"summary":"Orders database disk is 97% full","description":"Free space on /var/lib/postgresql is below 3% and falling 1%/h."},
               "startsAt":"{{DateTimeOffset.UtcNow.AddMinutes(-3):yyyy-MM-ddTHH:mm:ssZ}}","endsAt":"0001-01-01T00:00:00Z","generatorURL":"","fingerprint":"1"}],
             "groupLabels":{},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://127.0.0.1:9093","version":"4","groupKey":"{}","truncatedAlerts":0}
            """;
        (await _relay.Client.PostAsync("/webhook", new StringContent(body, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        await Eventually.UntilAsync(() => _smtp.Messages.Count > before, TimeSpan.FromSeconds(30), $"the firing e-mail of {alertname}", () => _relay.Output);
        var text = _smtp.Messages[before].Message.TextBody!;
        var links = LinkLine().Matches(text).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        var acknowledge = links["Acknowledge"];
        return (acknowledge, links["Open in AlertRelay"], long.Parse(new Uri(acknowledge).Segments[^1]));
    }

    private async Task<string?> AckedByAsync(long id)
    {
        var ack = (await _relay.Client.GetFromJsonAsync<JsonElement>($"/api/alerts/{id}")).GetProperty("alert").GetProperty("ack");
        return ack.ValueKind == JsonValueKind.Null ? null : ack.GetProperty("by").GetString();
    }

    private void Screenshot(BrowserSession browser, string name)
    {
        var artifacts = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(artifacts);
        var path = Path.Combine(artifacts, name);
        browser.Driver.GetScreenshot().SaveAsFile(path);
        output.WriteLine($"screenshot: {path}");
        if (name == "alert-page.png" && Environment.GetEnvironmentVariable("ALERTRELAY_UPDATE_SCREENSHOT") == "1")
        {
            var docs = Path.Combine(RepositoryFiles.Root, "docs", "images", name);
            Directory.CreateDirectory(Path.GetDirectoryName(docs)!);
            File.Copy(path, docs, overwrite: true);
            output.WriteLine($"screenshot updated: {docs}");
        }
    }

    private static Task WaitForTextAsync(BrowserSession browser, string text) =>
        Eventually.UntilAsync(() => browser.Driver.PageSource.Contains(text, StringComparison.Ordinal), TimeSpan.FromSeconds(10), $"the page to say \"{text}\"");

    [Fact]
    public async Task AcknowledgeLink_FromTheEmail_AcknowledgesOnce_InChromium()
    {
        var (acknowledge, _, id) = await FireAsync("OrdersDiskFull");
        using var browser = new BrowserSession(new Size(900, 1100));

        browser.Driver.Navigate().GoToUrl(acknowledge);
        Assert.Equal("OrdersDiskFull · AlertRelay", browser.Driver.Title);
        Assert.Contains("<b>\"quoted\"</b>", browser.Driver.FindElement(By.TagName("main")).Text); // shown as text, not markup
        Assert.Null(await AckedByAsync(id)); // opening the link changed nothing
        Screenshot(browser, "alert-page.png");

        browser.Driver.FindElement(By.Id("by-acknowledge")).SendKeys("Alice");
        browser.Driver.FindElement(By.CssSelector("form button[type=submit]")).Click();
        await WaitForTextAsync(browser, "Acknowledged by Alice.");
        Screenshot(browser, "alert-page-done.png");

        Assert.Equal("Alice", await AckedByAsync(id));
        browser.Driver.Navigate().GoToUrl(acknowledge);
        await WaitForTextAsync(browser, "This link was already used");
        Assert.Empty(browser.Driver.FindElements(By.TagName("form")));
    }

    [Fact]
    public async Task AlertPage_FitsA375PixelViewport_WithItsButtonVisible()
    {
        var (acknowledge, _, _) = await FireAsync("PhoneCheck");
        using var browser = new BrowserSession(new Size(375, 812));
        browser.EmulatePhone(375, 812);

        browser.Driver.Navigate().GoToUrl(acknowledge);
        var scrollWidth = browser.Script<long>("return document.documentElement.scrollWidth;");
        var button = browser.Driver.FindElement(By.CssSelector("form button[type=submit]"));
        Screenshot(browser, "alert-page-375.png");

        Assert.True(scrollWidth <= 375, $"the page scrolls sideways: scrollWidth {scrollWidth}");
        Assert.True(button.Displayed);
        Assert.True(button.Location.X >= 0 && button.Location.X + button.Size.Width <= 375, $"button at {button.Location}, {button.Size}");
        Assert.True(button.Size.Height >= 44, $"button only {button.Size.Height}px tall");
        Assert.True(browser.Driver.FindElement(By.Id("by-acknowledge")).Size.Height >= 44);
    }

    [Fact]
    public async Task AlertPage_IsUsableWithTheKeyboardAlone()
    {
        var (acknowledge, _, id) = await FireAsync("KeyboardCheck");
        using var browser = new BrowserSession(new Size(900, 1100));
        browser.Driver.Navigate().GoToUrl(acknowledge);
        var keyboard = new OpenQA.Selenium.Interactions.Actions(browser.Driver);

        keyboard.SendKeys(Keys.Tab).Perform();
        var field = browser.Driver.SwitchTo().ActiveElement();
        Assert.Equal("by-acknowledge", field.GetAttribute("id"));
        keyboard.SendKeys("Bob").SendKeys(Keys.Tab).Perform();
        var button = browser.Driver.SwitchTo().ActiveElement();
        Assert.Equal(("button", "Acknowledge"), (button.TagName, button.Text));
        Assert.NotEqual("none", browser.Script<string>("return getComputedStyle(document.activeElement).outlineStyle;")); // focus is visible
        keyboard.SendKeys(Keys.Enter).Perform();

        await WaitForTextAsync(browser, "Acknowledged by Bob.");
        Assert.Equal("Bob", await AckedByAsync(id));
    }
}
