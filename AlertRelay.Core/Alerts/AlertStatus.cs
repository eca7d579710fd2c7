namespace AlertRelay.Core.Alerts;

/// <summary>Whether an alert is firing or resolved, as Alertmanager reports it.</summary>
public enum AlertStatus
{
    Firing,
    Resolved,
}
