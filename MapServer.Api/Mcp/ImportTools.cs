using System.ComponentModel;
using MapServer.Api.Apis;
using MapServer.Api.Importing;
using MapServer.Api.Security;
using MapServer.Api.Sessions;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace MapServer.Api.Mcp;

/// <summary>Files onto the map: import_file for clients that hold a file, get_import_link for a person who does.</summary>
[McpServerToolType]
public sealed class ImportTools(MapSessionGateway sessions, FileImports imports, ImportDownloads downloads, ViewLinks viewLinks, PublicLinks links)
{
    [McpServerTool(Name = "import_file", Title = "Import a data file", Destructive = false, Idempotent = false, ReadOnly = false, OpenWorld = true, UseStructuredContent = true)]
    [Description("""
        Imports a data file as new layer(s) of the map, converted on the server to GeoJSON stored beside the map: CSV/TSV (longitude/latitude
        columns found by name, or a WKT/GeoJSON geometry column), GeoJSON, KML/KMZ, GPX (tracks, routes, waypoints), a zipped Shapefile
        (reprojected from its .prj) or a GeoPackage (one layer per feature table). Give the file as content_base64 (small files; the MCP
        request size limits it to a few MB) or as url (a public https link the server fetches; a resource_link's https URI works). Returns the
        layer ids, feature counts, geometry types, bbox and column names, never the data: use describe_layer, style_layer_by_property,
        filter_layer on the new layer. For a file the user has, call get_import_link and let them drop it on the map instead.
        """)]
    public async Task<FileImportResult> ImportFile(
        [Description(ToolHelp.SessionId)] string session_id,
        [Description("The file's name with its extension, e.g. 'stations.csv' or 'parcels.zip': the extension says what the file is.")] string? file_name = null,
        [Description("The file's bytes, base64-encoded. Give this or url.")] string? content_base64 = null,
        [Description("A public https URL of the file (e.g. a resource_link's uri). Give this or content_base64.")] string? url = null,
        [Description("Optional id for the new layer (for a GeoPackage with several tables, the prefix of their ids). Default: from the file name.")] string? layer_id = null,
        [Description("Optional title shown in the viewer's layer list. Default: the file name.")] string? title = null,
        [Description(ToolHelp.IfVersion)] long? if_version = null,
        CancellationToken cancellationToken = default)
    {
        await sessions.GetAsync(session_id, cancellationToken); // the id's shape, the session, its owner: first, as every tool
        if ((content_base64 is null) == (url is null))
        {
            throw new McpException("Give exactly one of content_base64 (the file's bytes, base64) or url (a public https link to the file). Nothing was changed.");
        }
        IDisposable? response = null;
        try
        {
            Stream content;
            var name = file_name;
            if (content_base64 is not null)
            {
                content = new MemoryStream(Decode(content_base64, imports.Limits.MaxFileBytes));
            }
            else
            {
                (content, var urlName, response) = await downloads.OpenAsync(url!, cancellationToken);
                name ??= urlName;
            }

            await using (content)
            {
                return await imports.ImportAsync(session_id, new FileUpload(name ?? "", content, layer_id, title, if_version), cancellationToken);
            }
        }
        catch (ImportException ex)
        {
            var answer = ImportsApi.Answer(ex);
            throw new McpException($"{answer.Error} {answer.Hint}");
        }
        finally
        {
            response?.Dispose();
        }
    }

    [McpServerTool(Name = "get_import_link", Title = "Link for dropping files on the map", Destructive = false, Idempotent = true, ReadOnly = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("""
        Returns a link to the live map on which the person may drop or pick data files (CSV, GeoJSON, KML/KMZ, GPX, zipped Shapefile,
        GeoPackage) to add them as layers; the link can view and import, nothing else. Give it to the user who has the data; their layers
        appear for everyone and in list_layers / get_history, and describe_layer tells you their columns. The viewer link from
        create_map_session stays read-only.
        """)]
    public async Task<ImportLink> GetImportLink(
        [Description(ToolHelp.SessionId)] string session_id,
        CancellationToken cancellationToken = default)
    {
        await sessions.GetAsync(session_id, cancellationToken);
        var importUrl = links.Viewer(await viewLinks.ImportTokenForAsync(session_id, cancellationToken));
        var limits = imports.Limits;
        return new ImportLink(
            importUrl,
            limits.MaxFileBytes,
            $"Give the user {importUrl}: they can drop files (up to {limits.MaxFileBytes / (1024 * 1024)} MB, {ImportFormats.Accepted}) onto the map there. Anyone with the link can add layers, so share it only with the people who bring data; it cannot change or remove anything else.");
    }

    private static byte[] Decode(string base64, long maxBytes)
    {
        if ((long)base64.Length * 3 / 4 > maxBytes)
        {
            throw FileConverter.TooLarge("the file", maxBytes);
        }

        try
        {
            return Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            throw new ImportException("content_base64 is not valid base64.", "Encode the file's bytes as standard base64 (RFC 4648, with + and /), without a data: prefix.");
        }
    }
}
