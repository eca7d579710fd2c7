using System.Net;
using System.Net.Sockets;

namespace AlertRelay.Testing;

/// <summary>A free TCP port on 127.0.0.1, for servers the tests start.</summary>
public static class FreePort
{
    public static int Get()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
