namespace AlertRelay.Core.History;

/// <summary>The store's schema, brought up to date at start-up before anything reads or writes.</summary>
public interface IStoreSchema
{
    /// <summary>Where the store is (a file, or a PostgreSQL address without its password), for logs.</summary>
    string Description { get; }

    /// <summary>Applies pending migrations; throws <see cref="StoreStartupException"/> when the store cannot start.</summary>
    void Migrate();
}
