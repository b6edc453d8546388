// @ts-check

/**
 * Applies rendered styles to one MapLibre map with MapLibre's own diff, so a change touches only what changed. MapLibre
 * diffs against its own serialization of the map, where a loaded GeoJSON URL source holds the loaded data: it would take
 * every such source (the offline basemap, stored layers) for changed, reload it and compare it whole. A source rendered
 * exactly as last time is shown to the diff as its spec, so a change costs the same on a map holding megabytes of data.
 */
export class StyleUpdates {
    /** @param {{ sources: Record<string, unknown> }} initial the style the map was created with */
    constructor(initial) {
        /** Each source as last rendered (JSON). @type {Map<string, string>} */
        this.renderedSources = sourceSpecs(initial);
    }

    /** @param {import('maplibre-gl').Map} map @param {any} style */
    apply(map, style) {
        const rendered = sourceSpecs(style);
        map.setStyle(style, {
            diff: true,
            transformStyle: (previous, next) => {
                for (const [id, json] of rendered) {
                    if (previous?.sources?.[id] && this.renderedSources.get(id) === json) {
                        previous.sources[id] = /** @type {any} */ (next).sources[id];
                    }
                }
                return /** @type {any} */ (next);
            },
        });
        this.renderedSources = rendered;
    }
}

/** @param {{ sources: Record<string, unknown> }} style */
function sourceSpecs(style) {
    return new Map(Object.entries(style.sources).map(([id, source]) => [id, JSON.stringify(source)]));
}
