using System.Collections.Concurrent;

namespace ECommerce.Api.Monitoring;

/// <summary>Remembers when each user was last seen (a login or an authenticated request) and counts the recent ones.</summary>
public sealed class ActiveUserTracker(TimeProvider time)
{
    /// <summary>How recently a user must have been seen to count as active.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<long, DateTimeOffset> _lastSeen = new();

    /// <summary>Notes that <paramref name="userId"/> made a request now.</summary>
    public void Seen(long userId) => _lastSeen[userId] = time.GetUtcNow();

    /// <summary>Distinct users seen within the last <see cref="Window"/>; forgets the others.</summary>
    public int CountActive()
    {
        var cutoff = time.GetUtcNow() - Window;
        var active = 0;
        foreach (var (userId, seen) in _lastSeen)
        {
            if (seen > cutoff)
            {
                active++;
            }
            else
            {
                // Only remove the entry we looked at: the user may have come back meanwhile.
                _lastSeen.TryRemove(new KeyValuePair<long, DateTimeOffset>(userId, seen));
            }
        }

        return active;
    }
}
