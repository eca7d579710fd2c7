namespace AlertRelay.Core.Alerts;

/// <summary>The wire and storage spelling of <see cref="AlertStatus"/> ("firing", "resolved").</summary>
public static class AlertStatusText
{
    public const string Firing = "firing";
    public const string Resolved = "resolved";

    public static string ToText(this AlertStatus status) => status == AlertStatus.Firing ? Firing : Resolved;

    public static bool TryParse(string? text, out AlertStatus status)
    {
        switch (text)
        {
            case Firing:
                status = AlertStatus.Firing;
                return true;
            case Resolved:
                status = AlertStatus.Resolved;
                return true;
            default:
                status = default;
                return false;
        }
    }
}
