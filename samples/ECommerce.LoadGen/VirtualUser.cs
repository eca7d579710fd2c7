using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace ECommerce.LoadGen;

/// <summary>
/// One simulated shopper: logs in, then loops over browse, search, add to cart, view cart and order until stopped.
/// Choices come from a Random seeded by the user's number, so a run's journeys are the same each time.
/// </summary>
internal sealed class VirtualUser(
    int number, LoadOptions options, HttpClient http, LoadStats stats, IReadOnlyList<string> categories, TimeProvider time)
{
    // Products below this stock are left alone, so that concurrent users rarely race for the last units.
    private const long MinimumStock = 10;

    private static readonly string[] SearchTerms =
        ["coffee", "book", "usb", "set", "kit", "steel", "game", "light", "tea", "pro", "green", "bottle"];

    private readonly Random _random = new(number);
    private readonly string _username = "user" + ((number - 1) % options.Accounts + 1).ToString("000", System.Globalization.CultureInfo.InvariantCulture);
    private string? _token;
    private int _iteration;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            if (_token is null && !await LoginAsync(cancellationToken))
            {
                await ThinkAsync(cancellationToken);
                continue;
            }

            await ShopOnceAsync(cancellationToken);
        }
    }

    private async Task<bool> LoginAsync(CancellationToken cancellationToken)
    {
        using var body = await SendAsync(JourneySteps.Login, HttpMethod.Post, "/api/auth/login",
            new { username = _username, password = options.Password }, cancellationToken);
        _token = body.Status == HttpStatusCode.OK ? body.Json?.RootElement.GetProperty("token").GetString() : null;
        return _token is not null;
    }

    private async Task ShopOnceAsync(CancellationToken cancellationToken)
    {
        _iteration++;
        var category = categories.Count > 0 && _random.Next(4) != 0 ? categories[_random.Next(categories.Count)] : null;
        var path = category is null ? "/api/products?page=1&pageSize=20" : $"/api/products?category={Uri.EscapeDataString(category)}";
        List<long> candidates;
        using (var browse = await SendAsync(JourneySteps.Browse, HttpMethod.Get, path, null, cancellationToken))
        {
            if (!Continue(browse))
            {
                return;
            }

            candidates = browse.Status == HttpStatusCode.OK && browse.Json is { } json
                ? json.RootElement.GetProperty("items").EnumerateArray()
                    .Where(p => p.GetProperty("stock").GetInt64() >= MinimumStock)
                    .Select(p => p.GetProperty("id").GetInt64()).ToList()
                : [];
        }

        await ThinkAsync(cancellationToken);
        using (var search = await SendAsync(JourneySteps.Search, HttpMethod.Get,
            "/api/products/search?q=" + SearchTerms[_random.Next(SearchTerms.Length)], null, cancellationToken))
        {
            if (!Continue(search))
            {
                return;
            }
        }

        await ThinkAsync(cancellationToken);
        var picked = candidates.OrderBy(_ => _random.Next()).Take(1 + _random.Next(2)).ToList();
        foreach (var productId in picked)
        {
            using var added = await SendAsync(JourneySteps.AddToCart, HttpMethod.Post, "/api/cart/items",
                new { productId, quantity = 1 }, cancellationToken);
            if (!Continue(added))
            {
                return;
            }

            await ThinkAsync(cancellationToken);
        }

        if (picked.Count == 2 && _iteration % 4 == 0)
        {
            // Change of mind: put the second product back.
            using var removed = await SendAsync(JourneySteps.RemoveFromCart, HttpMethod.Delete, $"/api/cart/items/{picked[1]}", null, cancellationToken);
            if (!Continue(removed))
            {
                return;
            }

            await ThinkAsync(cancellationToken);
        }

        long units;
        using (var cart = await SendAsync(JourneySteps.ViewCart, HttpMethod.Get, "/api/cart", null, cancellationToken))
        {
            if (!Continue(cart))
            {
                return;
            }

            units = cart.Status == HttpStatusCode.OK && cart.Json is { } json ? json.RootElement.GetProperty("units").GetInt64() : 0;
        }

        await ThinkAsync(cancellationToken);
        if (units > 0)
        {
            using var order = await SendAsync(JourneySteps.Order, HttpMethod.Post, "/api/orders", null, cancellationToken);
            if (!Continue(order))
            {
                return;
            }

            if (order.Status == HttpStatusCode.Conflict && order.Json is { } problem
                && problem.RootElement.TryGetProperty("shortages", out var shortages))
            {
                // Out of stock: take those products out of the cart, as a shopper would, so the next order can go through.
                foreach (var shortage in shortages.EnumerateArray())
                {
                    using var _ = await SendAsync(JourneySteps.RemoveFromCart, HttpMethod.Delete,
                        $"/api/cart/items/{shortage.GetProperty("productId").GetInt64()}", null, cancellationToken);
                }
            }

            await ThinkAsync(cancellationToken);
        }

        if (_iteration % 5 == 0)
        {
            using var orders = await SendAsync(JourneySteps.ListOrders, HttpMethod.Get, "/api/orders", null, cancellationToken);
            Continue(orders);
            await ThinkAsync(cancellationToken);
        }
    }

    /// <summary>Whether the journey goes on after this answer; a 401 means the token expired, so log in again.</summary>
    private bool Continue(Answer answer)
    {
        if (answer.Status == HttpStatusCode.Unauthorized)
        {
            _token = null;
            return false;
        }

        return answer.Status is not null;
    }

    private async Task<Answer> SendAsync(string step, HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (_token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        var started = time.GetTimestamp();
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            stats.Record(step, time.GetElapsedTime(started), (int)response.StatusCode);
            var isJson = bytes.Length > 0 && response.Content.Headers.ContentType?.MediaType?.EndsWith("json", StringComparison.Ordinal) == true;
            return new Answer(response.StatusCode, isJson ? TryParse(bytes) : null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw; // the run is over: this request is not counted
        }
        catch (OperationCanceledException)
        {
            stats.RecordFailure(step, time.GetElapsedTime(started), "timeout");
        }
        catch (HttpRequestException)
        {
            stats.RecordFailure(step, time.GetElapsedTime(started), "connection");
        }

        // No answer: back off a little rather than spin against a server that is down.
        await Task.Delay(TimeSpan.FromMilliseconds(500), time, cancellationToken);
        return new Answer(null, null);
    }

    private static JsonDocument? TryParse(byte[] bytes)
    {
        try
        {
            return JsonDocument.Parse(bytes);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private Task ThinkAsync(CancellationToken cancellationToken)
    {
        if (options.ThinkTime <= TimeSpan.Zero)
        {
            return Task.CompletedTask;
        }

        // 50% to 150% of the think time, so that users drift apart instead of acting in lockstep.
        var pause = options.ThinkTime * (0.5 + _random.NextDouble());
        return Task.Delay(pause, time, cancellationToken);
    }

    private sealed record Answer(HttpStatusCode? Status, JsonDocument? Json) : IDisposable
    {
        public void Dispose() => Json?.Dispose();
    }
}
