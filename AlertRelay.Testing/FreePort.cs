using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace AlertRelay.Testing;

/// <summary>
/// A free loopback TCP port, never one this process handed out before: the OS may give a just-released port again, and a test
/// that takes two before binding either (an Alertmanager's cluster port, then its web port) would get the same one twice.
/// </summary>
public static class FreePort
{
    private static readonly ConcurrentDictionary<int, byte> HandedOut = new();

    public static int Get()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            if (HandedOut.TryAdd(port, 0))
            {
                return port;
            }
        }
    }
}
