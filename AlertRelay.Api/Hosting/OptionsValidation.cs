using Microsoft.Extensions.Options;

namespace AlertRelay.Api.Hosting;

/// <summary>Adapts an options class's own <c>Validate()</c> (which yields messages) to <see cref="IValidateOptions{TOptions}"/>.</summary>
public sealed class OptionsValidation<TOptions>(Func<TOptions, IEnumerable<string>> validate) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var failures = validate(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
