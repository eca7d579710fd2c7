namespace ECommerce.Tests;

/// <summary>One shop shared by the tests of a class that only read.</summary>
public sealed class ShopAppFixture : IDisposable
{
    public ShopApp App { get; } = new();

    public void Dispose() => App.Dispose();
}
