namespace AlertRelay.Core.Ingest;

/// <summary>One problem with a request body, naming the field as a path such as <c>alerts[2].startsAt</c>.</summary>
public sealed record FieldError(string Field, string Message);
