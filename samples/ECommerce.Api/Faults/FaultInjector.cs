using ECommerce.Api.Monitoring;

namespace ECommerce.Api.Faults;

/// <summary>
/// Holds the current fault settings and decides, per request, the latency to add and whether to fail it.
/// Errors are spread deterministically, not drawn at random: each request of a route adds its error rate to
/// that route's running total and fails when the total reaches one, so a rate of 0.25 fails requests 4, 8, 12, ...
/// </summary>
public sealed class FaultInjector
{
    private const long One = 1_000_000; // error rates in millionths, so that the running totals add up exactly

    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _totals = new(StringComparer.OrdinalIgnoreCase);
    private FaultSettings _settings;

    public FaultInjector(FaultSettings initial)
    {
        _settings = initial.Normalize();
    }

    /// <summary>The settings in force.</summary>
    public FaultSettings Current
    {
        get
        {
            lock (_gate)
            {
                return _settings;
            }
        }
    }

    /// <summary>Replaces the settings (validate them first) and restarts every route's error sequence.</summary>
    public FaultSettings Replace(FaultSettings settings)
    {
        var normalized = settings.Normalize();
        lock (_gate)
        {
            _settings = normalized;
            _totals.Clear();
        }

        return normalized;
    }

    /// <summary>Whether faults may touch <paramref name="route"/>: not unmatched paths, <c>/metrics</c> or <c>/admin/*</c>.</summary>
    public static bool Applies(string route) =>
        route != RouteLabels.Unmatched && route != "/metrics" && !route.StartsWith("/admin/", StringComparison.OrdinalIgnoreCase);

    /// <summary>Decides for one request of <paramref name="route"/> (a route template).</summary>
    public FaultDecision Decide(string route)
    {
        lock (_gate)
        {
            var rule = _settings.Routes.GetValueOrDefault(route) ?? _settings.Global;
            if (rule is null)
            {
                return FaultDecision.None;
            }

            int? status = null;
            var rate = (long)Math.Round(rule.ErrorRate * One);
            if (rate > 0)
            {
                var total = _totals.GetValueOrDefault(route) + rate;
                if (total >= One)
                {
                    total -= One;
                    status = rule.StatusCode;
                }

                _totals[route] = total;
            }

            return new FaultDecision(TimeSpan.FromMilliseconds(rule.LatencyMs), status);
        }
    }
}
