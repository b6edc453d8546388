using System.Text.RegularExpressions;

namespace MapServer.Web.Maps;

/// <summary>
/// <c>GET /glyphs/{fontstack}/{range}.pbf</c>: the label glyphs, from this origin so labels draw offline. Every font stack
/// is answered with the one shipped font (Noto Sans Regular), so an agent's symbol layer naming another font still
/// draws its text instead of none.
/// </summary>
public static partial class GlyphsApi
{
    public const string Font = "Noto Sans Regular";

    public static IEndpointRouteBuilder MapGlyphs(this IEndpointRouteBuilder app)
    {
        app.MapGet("/glyphs/{fontstack}/{range}", (string range, IWebHostEnvironment environment, HttpContext http) =>
        {
            if (!GlyphRange().IsMatch(range))
            {
                return Results.NotFound();
            }

            var file = environment.WebRootFileProvider.GetFileInfo($"lib/glyphs/{Font}/{range}");
            if (!file.Exists || file.PhysicalPath is null)
            {
                return Results.NotFound();
            }

            http.Response.Headers.CacheControl = "public, max-age=86400";
            return Results.File(file.PhysicalPath, "application/x-protobuf");
        });
        return app;
    }

    [GeneratedRegex(@"^\d{1,5}-\d{1,5}\.pbf$")]
    private static partial Regex GlyphRange();
}
