using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MapServer.Api.Data;
using MapServer.Api.Maps;
using MapServer.Api.Maps.Operations;
using MapServer.Api.Sessions;
using Microsoft.Extensions.Options;

namespace MapServer.Api.Importing;

/// <summary>
/// A file onto a map session, whole or not at all: converted (<see cref="FileConverter"/>), its layers' GeoJSON stored
/// beside the state, then one <see cref="ImportLayers"/> change adds every layer at once. When the change is refused,
/// the data it stored is removed again. Callers check first that the caller may import onto the session.
/// </summary>
public sealed class FileImports(FileConverter converter, IMapSessionStore sessions, ILayerDataStore data, MapSessionGateway gateway, IOptions<MapServerOptions> options)
{
    public ImportOptions Limits => converter.Limits;

    public async Task<FileImportResult> ImportAsync(string sessionId, FileUpload upload, CancellationToken cancellationToken)
    {
        var fileName = CheckedName(upload.FileName);
        var state = await sessions.GetAsync(sessionId, cancellationToken) ?? throw new MapSessionNotFoundException(sessionId);
        if (upload.LayerId is not null)
        {
            var layerId = MapValidation.Id(upload.LayerId, "layer_id");
            if (state.Layers.ContainsKey(layerId))
            {
                throw new MapOperationException($"layer '{layerId}' already exists; pick another layer_id, leave it out to use the file's name, or remove_layer first.");
            }
        }

        var budget = new ImportBudget(Limits.MaxFeatures, options.Value.MaxSessionDataBytes - state.DataBytes(), "MapServer:MaxSessionDataBytes");
        var converted = await converter.ConvertAsync(fileName, upload.Content, budget, cancellationToken);
        var layers = Plan(sessionId, state, converted, upload);

        var stored = new List<string>();
        try
        {
            foreach (var (add, layer) in layers)
            {
                if (!await data.PutAsync(sessionId, layer.Data.Sha256, layer.Gzip, cancellationToken))
                {
                    throw new MapSessionNotFoundException(sessionId);
                }

                stored.Add(layer.Data.Sha256);
            }

            var operation = new ImportLayers(fileName, [.. layers.Select(l => l.Add)]) { IfVersion = upload.IfVersion };
            var change = await gateway.ChangeAsync(sessionId, _ => Task.FromResult<MapOperation>(operation), replanOnConflict: false, cancellationToken);
            return new FileImportResult(
                sessionId,
                change.Version,
                converted.Format.ToString().ToLowerInvariant(),
                [.. layers.Select(l => new ImportedLayer(l.Add.LayerId, l.Add.Title!, l.Layer.Data.Features, l.Layer.GeometryTypes, l.Layer.Bbox, l.Layer.Columns))],
                converted.Warnings,
                change.Summary);
        }
        catch
        {
            await ForgetUnusedAsync(sessionId, stored);
            throw;
        }
    }

    /// <summary>Each converted layer as an add_layer: ids from the file (or the caller), unique on the map; titles from the file and its tables.</summary>
    private static List<(AddLayer Add, ConvertedLayer Layer)> Plan(string sessionId, MapState state, ConvertedFile converted, FileUpload upload)
    {
        var fileTitle = upload.Title ?? Path.GetFileNameWithoutExtension(converted.FileName);
        var baseId = upload.LayerId ?? Slug(Path.GetFileNameWithoutExtension(converted.FileName));
        var taken = new HashSet<string>(state.Layers.Keys, StringComparer.Ordinal);
        var planned = new List<(AddLayer, ConvertedLayer)>(converted.Layers.Count);
        foreach (var layer in converted.Layers)
        {
            var single = converted.Layers.Count == 1;
            var id = Unique(single ? baseId : $"{baseId}-{Slug(layer.Name)}", taken);
            var source = JsonSerializer.SerializeToElement(
                new JsonObject { ["type"] = "geojson", ["data"] = LayerData.Path(sessionId, layer.Data.Sha256) },
                MapJsonContext.Default.JsonObject);
            var title = single ? fileTitle : $"{fileTitle}: {layer.Name}";
            planned.Add((new AddLayer(id, source, Title: title, Data: layer.Data, GeometryTypes: [.. layer.GeometryTypes.Keys]), layer));
        }

        return planned;
    }

    private static string Unique(string id, HashSet<string> taken)
    {
        var candidate = id;
        for (var n = 2; !taken.Add(candidate); n++)
        {
            candidate = $"{id[..Math.Min(id.Length, 120)]}-{n}";
        }

        return candidate;
    }

    /// <summary>A layer id from a name: letters and digits kept, other runs turned into '-', at most 100 characters.</summary>
    private static string Slug(string name)
    {
        var slug = new StringBuilder(Math.Min(name.Length, 100));
        foreach (var c in name.Normalize(NormalizationForm.FormD))
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '_' or '.')
            {
                slug.Append(c);
            }
            else if (char.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.NonSpacingMark && slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }

            if (slug.Length >= 100)
            {
                break;
            }
        }

        var id = slug.ToString().Trim('-', '.', '_');
        return id.Length == 0 ? "import" : id;
    }

    /// <summary>The file name without any folder part or control characters.</summary>
    private static string CheckedName(string? fileName)
    {
        var name = new string(Path.GetFileName((fileName ?? "").Replace('\\', '/')).Where(c => !char.IsControl(c)).ToArray()).Trim();
        if (name.Length == 0)
        {
            throw new ImportException("the file has no name.", $"Send the file's name with it (e.g. parks.csv): its extension says what it is. This server imports {ImportFormats.Accepted}.");
        }

        return name.Length > 200 ? name[..100] + name[^100..] : name;
    }

    /// <summary>Removes what a refused import stored, unless a layer uses the same data (it is content-addressed).</summary>
    private async Task ForgetUnusedAsync(string sessionId, List<string> stored)
    {
        if (stored.Count == 0)
        {
            return;
        }

        try
        {
            var state = await sessions.GetAsync(sessionId, CancellationToken.None);
            var used = state?.Layers.Values.Select(l => l.Data?.Sha256).OfType<string>().ToHashSet() ?? [];
            foreach (var sha256 in stored.Where(s => !used.Contains(s)))
            {
                await data.DeleteAsync(sessionId, sha256, CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Storage is failing too: unused data expires with the session (its TTL) on its own.
        }
    }
}
