namespace MapServer.Api.Importing;

/// <summary>What one import may still bring, shared by its layers: features, and bytes of GeoJSON the map can still hold.</summary>
public sealed class ImportBudget(int maxFeatures, long maxBytes, string bytesLimitName)
{
    private int _features;

    public void CountFeature()
    {
        if (++_features > maxFeatures)
        {
            throw new ImportException(
                $"the file holds more than {maxFeatures:N0} features, the most one import may bring (MapServer:Imports:MaxFeatures).",
                "Split the file, keep only the features you need, or serve large data as vector tiles or PMTiles (add_layer takes their URL).",
                ImportProblem.TooLarge);
        }
    }

    /// <summary>Refuses once the GeoJSON written so far passes what the map can still hold.</summary>
    public void CheckBytes(long written, string layerName)
    {
        if (written > maxBytes)
        {
            throw new ImportException(
                $"{layerName} converts to more than {maxBytes:N0} bytes of GeoJSON, more than this map can still hold ({bytesLimitName}).",
                "Remove layers you no longer need (remove_layer), import fewer features or columns, or serve large data as vector tiles or PMTiles.",
                ImportProblem.TooLarge);
        }
    }
}
