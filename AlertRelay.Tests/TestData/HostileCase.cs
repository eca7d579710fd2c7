using System.Text.Json;

namespace AlertRelay.Tests.TestData;

/// <summary>
/// One case of the hostile input corpus (TestData/hostile/cases.json): the body file, why it is there, and the outcome
/// POST /webhook must give it: a 4xx naming <see cref="Field"/>, or a 200 that stores exactly <see cref="Stored"/>.
/// </summary>
/// <param name="Stored">For a 200: one JSON object per occurrence the body must create, with the <c>labels</c> and
/// <c>annotations</c> (and optionally <c>status</c>, <c>startsAt</c>, <c>endsAt</c>, <c>generatorURL</c>) the API must return.</param>
public sealed record HostileCase(string File, string Why, int Status, string? Field, string? MessageContains, IReadOnlyList<JsonElement> Stored)
{
    public bool IsRejected => Status >= 400;

    public override string ToString() => $"{File} ({Why})";
}
