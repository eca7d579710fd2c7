namespace AlertRelay.Testing;

/// <summary>What a <see cref="LoopbackServer"/> answers: a status, Retry-After, a body, a Location; or nothing (<see cref="Hang"/>).</summary>
internal sealed record LoopbackAnswer(int Status, string Body = "", int? RetryAfterSeconds = null, bool Hang = false, string? Location = null);
