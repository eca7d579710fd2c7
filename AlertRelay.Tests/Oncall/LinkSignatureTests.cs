using System.Text;
using AlertRelay.Core.Oncall;

namespace AlertRelay.Tests.Oncall;

public sealed class LinkSignatureTests
{
    private static readonly byte[] Secret = Encoding.UTF8.GetBytes("0123456789abcdef0123456789abcdef");
    private static readonly byte[] OtherSecret = Encoding.UTF8.GetBytes("fedcba9876543210fedcba9876543210");
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
    private static readonly long Exp = Now.AddHours(24).ToUnixTimeSeconds();
    private static readonly string Sig = LinkSignature.Sign(Secret, 42, "acknowledge", Exp);

    /// <summary>A link for occurrence 42, action acknowledge, signed with <see cref="Secret"/>, checked as received.</summary>
    public static TheoryData<string, long, string?, string?, string?, DateTimeOffset, LinkVerdict> Cases => new()
    {
        { "good", 42, "acknowledge", $"{Exp}", Sig, Now, LinkVerdict.Valid },
        { "good, one second before expiry", 42, "acknowledge", $"{Exp}", Sig, DateTimeOffset.FromUnixTimeSeconds(Exp - 1), LinkVerdict.Valid },
        { "expired at exactly exp", 42, "acknowledge", $"{Exp}", Sig, DateTimeOffset.FromUnixTimeSeconds(Exp), LinkVerdict.Expired },
        { "expired long ago", 42, "acknowledge", $"{Exp}", Sig, Now.AddDays(30), LinkVerdict.Expired },
        { "wrong id", 43, "acknowledge", $"{Exp}", Sig, Now, LinkVerdict.Tampered },
        { "wrong action (another known one)", 42, "silence-1h", $"{Exp}", Sig, Now, LinkVerdict.Tampered },
        { "wrong exp (pushed later)", 42, "acknowledge", $"{Exp + 3600}", Sig, Now, LinkVerdict.Tampered },
        { "wrong exp, and expired: still tampered", 42, "acknowledge", $"{Exp - 7 * 86400}", Sig, Now, LinkVerdict.Tampered },
        { "wrong secret", 42, "acknowledge", $"{Exp}", LinkSignature.Sign(OtherSecret, 42, "acknowledge", Exp), Now, LinkVerdict.Tampered },
        { "one character of the signature changed", 42, "acknowledge", $"{Exp}", (Sig[0] == 'A' ? "B" : "A") + Sig[1..], Now, LinkVerdict.Tampered },
        { "unknown action", 42, "delete", $"{Exp}", Sig, Now, LinkVerdict.Malformed },
        { "action in another case", 42, "Acknowledge", $"{Exp}", Sig, Now, LinkVerdict.Malformed },
        { "no action", 42, null, $"{Exp}", Sig, Now, LinkVerdict.Malformed },
        { "exp not a number", 42, "acknowledge", "tomorrow", Sig, Now, LinkVerdict.Malformed },
        { "exp negative", 42, "acknowledge", "-5", Sig, Now, LinkVerdict.Malformed },
        { "no exp", 42, "acknowledge", null, Sig, Now, LinkVerdict.Malformed },
        { "no sig", 42, "acknowledge", $"{Exp}", null, Now, LinkVerdict.Malformed },
        { "sig cut short", 42, "acknowledge", $"{Exp}", Sig[..20], Now, LinkVerdict.Malformed },
        { "sig not base64url", 42, "acknowledge", $"{Exp}", "!" + Sig[1..], Now, LinkVerdict.Malformed },
        { "sig in base64 with padding", 42, "acknowledge", $"{Exp}", Sig + "=", Now, LinkVerdict.Malformed },
        { "id zero", 0, "acknowledge", $"{Exp}", Sig, Now, LinkVerdict.Malformed },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Verify_ReturnsTheVerdict_ForEachCase(string name, long id, string? action, string? exp, string? sig, DateTimeOffset now, LinkVerdict expected)
    {
        Assert.True(name.Length > 0);
        Assert.Equal(expected, LinkSignature.Verify(Secret, id, action, exp, sig, now));
    }

    [Fact]
    public void Sign_IsBase64UrlOfAnHmacSha256_OverIdActionAndExpiry()
    {
        var expected = System.Security.Cryptography.HMACSHA256.HashData(Secret, Encoding.UTF8.GetBytes($"42\nacknowledge\n{Exp}"));

        Assert.Equal(Convert.ToBase64String(expected).TrimEnd('=').Replace('+', '-').Replace('/', '_'), Sig);
    }

    [Fact]
    public void TokenHash_IsStableAndDoesNotContainTheSignature()
    {
        var hash = LinkSignature.TokenHash(Sig);

        Assert.Equal(hash, LinkSignature.TokenHash(Sig));
        Assert.Equal(64, hash.Length);
        Assert.NotEqual(hash, LinkSignature.TokenHash(LinkSignature.Sign(Secret, 42, "acknowledge", Exp + 1)));
    }
}
