namespace AlertRelay.Testing;

/// <summary>Polls a condition until it holds, or fails the test saying what did not happen (with logs when given).</summary>
public static class Eventually
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, Func<string>? logs = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out after {timeout.TotalSeconds:0} s waiting for {what}\n{logs?.Invoke()}");
            await Task.Delay(50);
        }
    }

    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what, Func<string>? logs = null) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, what, logs);
}
