namespace AlertRelay.Core; internal static class Placeholder {}
