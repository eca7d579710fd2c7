namespace AlertRelay.Core.Configuration;

/// <summary>
/// An integration's <c>http_config</c> (prometheus/common's <c>HTTPClientConfig</c>): what AlertRelay honours is read, what it cannot
/// honour is refused with its line (never silently ignored), and the checks of <c>HTTPClientConfig.Validate</c> are applied.
/// </summary>
internal sealed partial class ConfigReader
{
    // Keys Alertmanager accepts and AlertRelay cannot honour are refused by name, with the reason (AlertmanagerFields).
    private static readonly IReadOnlyDictionary<string, string> HttpConfigRefused = AlertmanagerFields.Refused(AlertmanagerFields.HttpConfig);

    private static readonly string[] AuthorizationKeys = ["type", "credentials", "credentials_file", "credentials_ref"];
    private static readonly string[] BasicAuthKeys = ["username", "username_file", "username_ref", "password", "password_file", "password_ref"];

    private HttpConfig ReadHttpConfig(ConfigNode? node, string path)
    {
        if (node is null || Mapping(node, path) is not { } map)
        {
            return HttpConfig.Default;
        }

        var f = Fields(map, path, AlertmanagerFields.Keys(AlertmanagerFields.HttpConfig));
        foreach (var (key, field) in f)
        {
            if (!HttpConfigRefused.TryGetValue(key, out var why))
            {
                continue;
            }

            if (!IsHarmless(key, field.Value))
            {
                Error(field.Key.Line, Child(path, key), $"not supported by AlertRelay: {why}");
            }
            else if (!IsNull(field.Value))
            {
                Warn(field.Key.Line, Child(path, key), $"\"{key}\" is accepted but ignored by AlertRelay: it asks for nothing AlertRelay does not do already ({why})");
            }
        }

        // AlertRelay speaks HTTP/1.1 (as Go does to a plain http:// URL): false is what it does; true is warned.
        if (Bool(Value(f, "enable_http2"), Child(path, "enable_http2")) == true)
        {
            WarnIgnored(f.Where(x => x.Key == "enable_http2").ToDictionary(), path, AlertmanagerFields.Ignored(AlertmanagerFields.HttpConfig));
        }

        var config = new HttpConfig { FollowRedirects = Bool(Value(f, "follow_redirects"), Child(path, "follow_redirects")) ?? true };
        config = ReadBearer(f, path, config);
        config = ReadAuthorization(f, path, config);
        return ReadBasicAuth(f, path, config);
    }

    /// <summary>A refused key whose value asks for nothing (an empty <c>tls_config</c>, <c>insecure_skip_verify: false</c>, a false or empty proxy setting).</summary>
    private static bool IsHarmless(string key, ConfigNode value) => value switch
    {
        ConfigScalar { IsNull: true } => true,
        ConfigScalar scalar => key == "proxy_from_environment" && scalar.Value is "false" or "False" or "FALSE" or "no" or "off",
        ConfigMapping map => key == "tls_config" && map.Entries.All(e =>
            e.Key.Value == "insecure_skip_verify" && e.Value is ConfigScalar { Value: "false" or "False" or "FALSE" or "no" or "off" }),
        _ => false,
    };

    private HttpConfig ReadBearer(Dictionary<string, Field> f, string path, HttpConfig config)
    {
        var token = Text(f, "bearer_token", path);
        var file = Text(f, "bearer_token_file", path);
        if (token is not null && file is not null)
        {
            Error(f["bearer_token_file"].Key.Line, path, "at most one of bearer_token & bearer_token_file must be configured");
        }

        return config with { Credentials = token, CredentialsFile = file };
    }

    private HttpConfig ReadAuthorization(Dictionary<string, Field> f, string path, HttpConfig config)
    {
        var authPath = Child(path, "authorization");
        if (Value(f, "authorization") is not { } node || Mapping(node, authPath) is not { } map)
        {
            return config;
        }

        var a = Fields(map, authPath, AuthorizationKeys);
        RefuseRef(a, authPath, "credentials_ref");
        if (config.Credentials is not null || config.CredentialsFile is not null)
        {
            Error(f["authorization"].Key.Line, path, "authorization is not compatible with bearer_token & bearer_token_file");
        }

        var type = Text(a, "type", authPath)?.Trim();
        if (string.Equals(type, "basic", StringComparison.OrdinalIgnoreCase))
        {
            Error(a["type"].Value.Line, Child(authPath, "type"), "authorization type cannot be set to \"basic\", use \"basic_auth\" instead");
        }
        else if (type is { Length: > 0 } && type.Any(c => c is <= ' ' or > '~'))
        {
            Error(a["type"].Value.Line, Child(authPath, "type"), "authorization type must be one word of printable ASCII characters");
        }

        var credentials = Text(a, "credentials", authPath);
        var file = Text(a, "credentials_file", authPath);
        if (credentials is not null && file is not null)
        {
            Error(a["credentials_file"].Key.Line, authPath, "at most one of authorization credentials & credentials_file must be configured");
        }

        return config with { AuthorizationType = string.IsNullOrEmpty(type) ? "Bearer" : type, Credentials = credentials, CredentialsFile = file };
    }

    private HttpConfig ReadBasicAuth(Dictionary<string, Field> f, string path, HttpConfig config)
    {
        var basicPath = Child(path, "basic_auth");
        if (Value(f, "basic_auth") is not { } node || Mapping(node, basicPath) is not { } map)
        {
            return config;
        }

        if (Value(f, "authorization") is not null)
        {
            Error(f["basic_auth"].Key.Line, path, "at most one of basic_auth, oauth2 & authorization must be configured");
        }
        else if (config.Credentials is not null || config.CredentialsFile is not null)
        {
            Error(f["basic_auth"].Key.Line, path, "at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured");
        }

        var b = Fields(map, basicPath, BasicAuthKeys);
        RefuseRef(b, basicPath, "username_ref");
        RefuseRef(b, basicPath, "password_ref");
        var read = config with
        {
            HasBasicAuth = true,
            Username = Text(b, "username", basicPath),
            UsernameFile = Text(b, "username_file", basicPath),
            Password = Text(b, "password", basicPath),
            PasswordFile = Text(b, "password_file", basicPath),
        };
        if (read.Username is not null && read.UsernameFile is not null)
        {
            Error(b["username_file"].Key.Line, basicPath, "at most one of basic_auth username & username_file must be configured");
        }

        if (read.Password is not null && read.PasswordFile is not null)
        {
            Error(b["password_file"].Key.Line, basicPath, "at most one of basic_auth password & password_file must be configured");
        }

        return read;
    }

    private void RefuseRef(Dictionary<string, Field> fields, string path, string key)
    {
        if (fields.TryGetValue(key, out var field))
        {
            Error(field.Key.Line, Child(path, key), "not supported by AlertRelay: secret references (*_ref) need a secret manager; use the inline value or the _file form");
        }
    }
}
