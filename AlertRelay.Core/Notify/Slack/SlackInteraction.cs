namespace AlertRelay.Core.Notify.Slack;

/// <summary>
/// A <c>block_actions</c> payload as AlertRelay reads it: who clicked (<c>user.id</c>, <c>user.name</c> or <c>user.username</c>), the
/// first action (<c>action_id</c>, <c>value</c> or a select's <c>selected_option.value</c>) and where to answer (<c>response_url</c>).
/// </summary>
public sealed record SlackInteraction(string Type, string UserId, string UserName, string ActionId, string? Value, Uri? ResponseUrl);
