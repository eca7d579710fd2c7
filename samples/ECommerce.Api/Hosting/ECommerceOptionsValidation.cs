using Microsoft.Extensions.Options;

namespace ECommerce.Api.Hosting;

/// <summary>Refuses to start on invalid <see cref="ECommerceOptions"/>, naming each bad setting and its value.</summary>
public sealed class ECommerceOptionsValidation : IValidateOptions<ECommerceOptions>
{
    public ValidateOptionsResult Validate(string? name, ECommerceOptions options)
    {
        var problems = options.Validate().ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
