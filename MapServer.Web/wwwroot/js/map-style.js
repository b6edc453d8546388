// @ts-check
// The one renderer: a map state, as the api stores and streams it, becomes the MapLibre style that draws it.
// Pure (no DOM, no network): the viewer applies it with MapLibre's setStyle(style, { diff: true }), and the api
// runs this same file for export_map, so an exported style draws the map the viewer draws.

/**
 * @typedef {{ type: string, [key: string]: unknown }} Source
 * @typedef {{ id: string, type: string, source?: string, filter?: unknown, paint?: Record<string, unknown>, layout?: Record<string, unknown>, [key: string]: unknown }} StyleLayer
 * @typedef {{ source: Source, layers?: StyleLayer[], visible?: boolean, title?: string | null, legendColor?: string | null, opacity?: number,
 *             filters?: Record<string, unknown>, paint?: Record<string, Record<string, unknown>>, layout?: Record<string, Record<string, unknown>> }} MapLayer
 * @typedef {{ kind: 'marker' | 'line' | 'polygon' | 'circle', geometry: { type: string, coordinates: any }, label?: string | null, color?: string | null,
 *             popup?: string | null, radiusMeters?: number | null }} MapAnnotation
 * @typedef {{ version: number, center?: number[], zoom?: number, bearing?: number, pitch?: number, bounds?: { bbox: number[], padding?: number } | null,
 *             basemap?: string, layers?: Record<string, MapLayer>, layerOrder?: string[], annotations?: Record<string, MapAnnotation> }} MapState
 * @typedef {{ origin: string, scheme?: 'light' | 'dark', hiddenLayers?: string[], onlineBasemap?: boolean }} RenderOptions
 *   onlineBasemap: false leaves the online basemap's tiles out (a viewer that cannot reach them shows the offline one alone)
 */

export const BASEMAP_PREFIX = 'basemap-';

/** The source of the online basemap's tiles. */
export const ONLINE_BASEMAP_SOURCE = 'basemap-raster';

/** The graticule fades out by this zoom, where a 10° grid leaves one or two lines on a screen. */
const GRATICULE_MAX_ZOOM = 5;

/** The annotations' source, and the prefix of their style layers' ids (an import leaves both out of the layers it takes). */
export const ANNOTATION_SOURCE = 'mapserver-annotations';
export const ANNOTATION_LAYER_PREFIX = 'mapserver-annotation-';
export const ANNOTATION_LAYERS = {
    fill: `${ANNOTATION_LAYER_PREFIX}fill`,
    line: `${ANNOTATION_LAYER_PREFIX}line`,
    marker: `${ANNOTATION_LAYER_PREFIX}marker`,
    lineLabel: `${ANNOTATION_LAYER_PREFIX}line-label`,
    areaLabel: `${ANNOTATION_LAYER_PREFIX}area-label`,
    markerLabel: `${ANNOTATION_LAYER_PREFIX}marker-label`,
};

/** The style's metadata keys: the basemap's name and each layer's title, legend and order (an import reads them back). */
export const METADATA_KEYS = { basemap: 'mapserver:basemap', layers: 'mapserver:layers' };
export const DEFAULT_ANNOTATION_COLOR = '#e11d48';
const FONT = ['Noto Sans Regular'];

/** Paint properties that carry a style layer's opacity, by layer type. */
const OPACITY_PAINT = {
    fill: ['fill-opacity'],
    line: ['line-opacity'],
    circle: ['circle-opacity', 'circle-stroke-opacity'],
    symbol: ['icon-opacity', 'text-opacity'],
    raster: ['raster-opacity'],
    'fill-extrusion': ['fill-extrusion-opacity'],
    heatmap: ['heatmap-opacity'],
    background: ['background-opacity'],
    hillshade: [],
    'color-relief': ['color-relief-opacity'],
};

/** The online basemaps: raster tiles drawn over the offline basemap, which shows wherever they do not load. */
const RASTER_BASEMAPS = {
    streets: {
        tiles: ['https://tile.openstreetmap.org/{z}/{x}/{y}.png'],
        maxzoom: 19,
        attribution: '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
    },
    topo: {
        tiles: ['https://a.tile.opentopomap.org/{z}/{x}/{y}.png', 'https://b.tile.opentopomap.org/{z}/{x}/{y}.png', 'https://c.tile.opentopomap.org/{z}/{x}/{y}.png'],
        maxzoom: 17,
        attribution: '© OpenStreetMap contributors, SRTM | © <a href="https://opentopomap.org">OpenTopoMap</a> (CC-BY-SA)',
    },
    satellite: {
        tiles: ['https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}'],
        maxzoom: 19,
        attribution: 'Imagery © Esri, Maxar, Earthstar Geographics',
    },
};

/** The offline basemap's colours; labels keep a halo of the ground colour so they read on both schemes. */
const SCHEMES = {
    light: { water: '#a9cfe0', land: '#f1efe8', river: '#8fbfd6', border: '#8d8a99', grid: '#94a3b8', label: '#334155', halo: '#ffffff', city: '#1f2937' },
    dark: { water: '#0b1a2e', land: '#1f2937', river: '#1e3a5f', border: '#94a3b8', grid: '#334155', label: '#e2e8f0', halo: '#0b1a2e', city: '#f8fafc' },
};

/**
 * The MapLibre style (version 8) that draws `state`: the offline basemap (Natural Earth land, lakes, rivers, borders,
 * place names; `blank` shows it alone), the online basemap's tiles over it, every data layer in order with the agent's
 * filters, paint, layout, opacity and visibility, then the annotations and their labels. The view is included for
 * exports; MapLibre's style diff leaves the camera alone.
 * @param {MapState} state
 * @param {RenderOptions} options
 */
export function renderStyle(state, options) {
    const c = SCHEMES[options.scheme ?? 'light'];
    const origin = options.origin.replace(/\/$/, '');
    const hidden = new Set(options.hiddenLayers ?? []);
    /** @type {Record<string, Source>} */
    const sources = basemapSources(origin);
    /** @type {StyleLayer[]} */
    const layers = basemapLayers(c);

    const basemap = state.basemap ?? 'streets';
    const raster = RASTER_BASEMAPS[/** @type {keyof typeof RASTER_BASEMAPS} */ (basemap)];
    if (raster && options.onlineBasemap !== false) {
        sources[ONLINE_BASEMAP_SOURCE] = { type: 'raster', tileSize: 256, ...raster };
        layers.push({ id: ONLINE_BASEMAP_SOURCE, type: 'raster', source: ONLINE_BASEMAP_SOURCE });
    }
    layers.push(...basemapLabelLayers(c));

    /** @type {Record<string, { visible: boolean, title?: string, legendColor?: string }>} */
    const layerInfo = {};
    for (const layerId of orderedLayerIds(state)) {
        const layer = /** @type {Record<string, MapLayer>} */ (state.layers)[layerId];
        sources[layerId] = onOrigin(layer.source, origin);
        for (const spec of layer.layers ?? []) {
            layers.push(effectiveStyleLayer(spec, layerId, layer, hidden.has(layerId)));
        }
        layerInfo[layerId] = { visible: layer.visible !== false };
        if (layer.title) {
            layerInfo[layerId].title = layer.title;
        }
        if (layer.legendColor) {
            layerInfo[layerId].legendColor = layer.legendColor;
        }
    }

    sources[ANNOTATION_SOURCE] = { type: 'geojson', data: annotationFeatures(state) };
    layers.push(...annotationLayers(c));

    return {
        version: 8,
        name: 'MapServer map',
        metadata: { [METADATA_KEYS.basemap]: basemap, [METADATA_KEYS.layers]: layerInfo },
        center: state.center ?? [0, 20],
        zoom: state.zoom ?? 2,
        bearing: state.bearing ?? 0,
        pitch: state.pitch ?? 0,
        // A change is drawn at once, not faded in over MapLibre's default 300 ms (frames the agent's next change waits on).
        transition: { duration: 0, delay: 0 },
        // Every font stack is answered with the shipped Noto Sans, so labels draw offline too.
        glyphs: `${origin}/glyphs/{fontstack}/{range}.pbf`,
        sources,
        layers,
    };
}

/**
 * A layer's source with the server's own paths (its stored GeoJSON, `/sessions/.../data/...`) made absolute on
 * `origin`, so the map draws the same wherever the page runs (an MCP App's frame has no origin of its own).
 * @param {Source} source @param {string} origin
 * @returns {Source}
 */
function onOrigin(source, origin) {
    const isPath = (/** @type {unknown} */ value) => typeof value === 'string' && value.startsWith('/') && !value.startsWith('//');
    if (isPath(source.data)) {
        return { ...source, data: origin + source.data };
    }
    return isPath(source.url) ? { ...source, url: origin + source.url } : source;
}

/**
 * The data layers' ids, bottom to top: the state's order, then any layer it does not list.
 * @param {MapState} state
 */
export function orderedLayerIds(state) {
    const layers = state.layers ?? {};
    const order = (state.layerOrder ?? []).filter((id) => id in layers);
    for (const id of Object.keys(layers)) {
        if (!order.includes(id)) {
            order.push(id);
        }
    }
    return order;
}

/**
 * A style layer as the state wants it drawn: its spec with the agent's filter, paint and layout overrides, the layer's
 * opacity multiplied into its opacity paint, and `visibility: none` while the agent or this person hides it.
 * @param {StyleLayer} spec
 * @param {string} source
 * @param {MapLayer} layer
 * @param {boolean} hiddenHere
 * @returns {StyleLayer}
 */
export function effectiveStyleLayer(spec, source, layer, hiddenHere) {
    const paint = { ...(spec.paint ?? {}), ...(layer.paint?.[spec.id] ?? {}) };
    const layout = { ...(spec.layout ?? {}), ...(layer.layout?.[spec.id] ?? {}) };
    const opacity = typeof layer.opacity === 'number' ? layer.opacity : 1;
    if (opacity !== 1) {
        for (const property of OPACITY_PAINT[/** @type {keyof typeof OPACITY_PAINT} */ (spec.type)] ?? []) {
            const base = paint[property];
            paint[property] = typeof base === 'number' ? base * opacity : opacity;
        }
    }
    if (layer.visible === false || hiddenHere) {
        layout.visibility = 'none';
    }

    /** @type {StyleLayer} */
    const styleLayer = { ...spec, source };
    delete styleLayer.paint;
    delete styleLayer.layout;
    const filter = layer.filters?.[spec.id] ?? spec.filter;
    if (filter === undefined || filter === null) {
        delete styleLayer.filter;
    } else {
        styleLayer.filter = filter;
    }
    if (Object.keys(paint).length > 0) {
        styleLayer.paint = paint;
    }
    if (Object.keys(layout).length > 0) {
        styleLayer.layout = layout;
    }
    return styleLayer;
}

/**
 * The annotations as drawn: markers as points, lines and polygons as given, circles as 64-sided polygons of their
 * radius on the ground; properties id, kind, label, popup and color.
 * @param {MapState} state
 */
export function annotationFeatures(state) {
    const features = [];
    for (const id of Object.keys(state.annotations ?? {}).sort()) {
        const annotation = /** @type {Record<string, MapAnnotation>} */ (state.annotations)[id];
        const geometry = annotation.kind === 'circle'
            ? circlePolygon(annotation.geometry?.coordinates, annotation.radiusMeters ?? 1000)
            : annotation.geometry;
        if (geometry) {
            features.push({
                type: 'Feature',
                id: features.length,
                geometry,
                properties: { id, kind: annotation.kind, label: annotation.label ?? '', popup: annotation.popup ?? '', color: annotation.color ?? DEFAULT_ANNOTATION_COLOR },
            });
        }
    }
    return { type: 'FeatureCollection', features };
}

/**
 * A circle of `radius` metres around [lon, lat] as a 64-sided polygon (great-circle destinations on a spherical earth).
 * @param {unknown} center
 * @param {number} radius
 */
export function circlePolygon(center, radius) {
    if (!Array.isArray(center) || center.length < 2) {
        return null;
    }
    const earth = 6371008.8;
    const [lon, lat] = center.map((d) => d * Math.PI / 180);
    const angular = radius / earth;
    const ring = [];
    for (let i = 0; i <= 64; i++) {
        const bearing = (i % 64) / 64 * 2 * Math.PI;
        const lat2 = Math.asin(Math.sin(lat) * Math.cos(angular) + Math.cos(lat) * Math.sin(angular) * Math.cos(bearing));
        const lon2 = lon + Math.atan2(Math.sin(bearing) * Math.sin(angular) * Math.cos(lat), Math.cos(angular) - Math.sin(lat) * Math.sin(lat2));
        ring.push([lon2 * 180 / Math.PI, lat2 * 180 / Math.PI]);
    }
    return { type: 'Polygon', coordinates: [ring] };
}

/** @param {string} origin */
function basemapSources(origin) {
    const naturalEarth = '<a href="https://www.naturalearthdata.com">Natural Earth</a>';
    /** @param {string} file @param {string} [attribution] */
    const geojson = (file, attribution) => attribution
        ? { type: 'geojson', data: `${origin}/lib/offline-basemap/${file}`, attribution }
        : { type: 'geojson', data: `${origin}/lib/offline-basemap/${file}` };
    return {
        'basemap-land': geojson('land.json', naturalEarth),
        'basemap-lakes': geojson('lakes.json'),
        'basemap-rivers': geojson('rivers.json'),
        'basemap-boundaries': geojson('boundaries.json'),
        'basemap-places': {
            type: 'geojson',
            data: `${origin}/basemap/places.geojson`,
            attribution: 'Place names: <a href="https://github.com/mledoze/countries">mledoze/countries</a> (ODbL), <a href="https://www.geonames.org">GeoNames</a> (CC BY 4.0)',
        },
        'basemap-graticule': { type: 'geojson', data: graticule(10) },
    };
}

/** @param {typeof SCHEMES.light} c @returns {StyleLayer[]} */
function basemapLayers(c) {
    return [
        { id: 'basemap-background', type: 'background', paint: { 'background-color': c.water } },
        { id: 'basemap-land', type: 'fill', source: 'basemap-land', paint: { 'fill-color': c.land } },
        { id: 'basemap-lakes', type: 'fill', source: 'basemap-lakes', paint: { 'fill-color': c.water } },
        { id: 'basemap-rivers', type: 'line', source: 'basemap-rivers', paint: { 'line-color': c.river, 'line-width': ['interpolate', ['linear'], ['zoom'], 2, 0.3, 8, 1.5] } },
        // A grid where several lines are in view; closer in, a lone meridian (0° over France) would read as a seam.
        {
            id: 'basemap-graticule', type: 'line', source: 'basemap-graticule', maxzoom: GRATICULE_MAX_ZOOM,
            paint: {
                'line-color': c.grid,
                'line-opacity': ['interpolate', ['linear'], ['zoom'], 3, 0.35, GRATICULE_MAX_ZOOM, 0],
                'line-width': ['interpolate', ['linear'], ['zoom'], 2, ['match', ['get', 'major'], 1, 1, 0.5], 4, 0.5],
            },
        },
        { id: 'basemap-boundaries', type: 'line', source: 'basemap-boundaries', paint: { 'line-color': c.border, 'line-width': ['interpolate', ['linear'], ['zoom'], 1, 0.6, 8, 1.6], 'line-dasharray': [3, 2] } },
    ];
}

/** Place names sit over the online basemaps' tiles too, under the agent's layers. @param {typeof SCHEMES.light} c @returns {StyleLayer[]} */
function basemapLabelLayers(c) {
    return [
        {
            id: 'basemap-places', type: 'symbol', source: 'basemap-places',
            filter: ['==', ['get', 'kind'], 'country'],
            layout: {
                'text-field': ['get', 'name'], 'text-font': FONT, 'symbol-sort-key': ['-', ['get', 'rank']],
                'text-size': ['interpolate', ['linear'], ['get', 'rank'], 4, 10, 6, 12, 7, 14], 'text-max-width': 7,
            },
            paint: { 'text-color': c.label, 'text-halo-color': c.halo, 'text-halo-width': 1.5 },
        },
        // Capitals and the largest cities from the world view on, the other large cities once zoomed in.
        ...cityLayers('major', 1, 2, c),
        ...cityLayers('minor', 2, 5, c),
    ];
}

/** A dot and a name for each city of a tier. @param {string} name @param {number} tier @param {number} minzoom @param {typeof SCHEMES.light} c @returns {StyleLayer[]} */
function cityLayers(name, tier, minzoom, c) {
    const filter = ['all', ['==', ['get', 'kind'], 'city'], ['==', ['get', 'tier'], tier]];
    return [
        {
            id: `basemap-city-dots-${name}`, type: 'circle', source: 'basemap-places', filter, minzoom,
            paint: { 'circle-radius': tier === 1 ? 3 : 2.5, 'circle-color': c.city, 'circle-stroke-color': c.halo, 'circle-stroke-width': 1 },
        },
        {
            id: `basemap-cities-${name}`, type: 'symbol', source: 'basemap-places', filter, minzoom,
            layout: {
                'text-field': ['get', 'name'], 'text-font': FONT, 'text-size': tier === 1 ? 12 : 11, 'symbol-sort-key': ['-', ['get', 'rank']],
                'text-variable-anchor': ['left', 'right', 'top', 'bottom'], 'text-radial-offset': 0.5, 'text-max-width': 8,
            },
            paint: { 'text-color': c.city, 'text-halo-color': c.halo, 'text-halo-width': 1.5 },
        },
    ];
}

/** @param {typeof SCHEMES.light} c @returns {StyleLayer[]} */
function annotationLayers(c) {
    const source = ANNOTATION_SOURCE;
    /** @param {string} id @param {unknown} filter @param {Record<string, unknown>} placement @returns {StyleLayer} */
    const labels = (id, filter, placement) => ({
        id, type: 'symbol', source,
        filter: ['all', filter, ['!=', ['get', 'label'], '']],
        layout: { 'text-field': ['get', 'label'], 'text-font': FONT, 'text-size': 13, 'text-max-width': 12, ...placement },
        paint: { 'text-color': c.label, 'text-halo-color': c.halo, 'text-halo-width': 2 },
    });
    return [
        { id: ANNOTATION_LAYERS.fill, type: 'fill', source, filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': ['get', 'color'], 'fill-opacity': 0.25 } },
        { id: ANNOTATION_LAYERS.line, type: 'line', source, filter: ['!=', ['geometry-type'], 'Point'], paint: { 'line-color': ['get', 'color'], 'line-width': 3 }, layout: { 'line-join': 'round', 'line-cap': 'round' } },
        {
            id: ANNOTATION_LAYERS.marker, type: 'circle', source, filter: ['==', ['geometry-type'], 'Point'],
            paint: { 'circle-color': ['get', 'color'], 'circle-radius': 8, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2.5 },
        },
        // Lines are labelled along them, polygons and circles inside them, markers above the pin.
        labels(ANNOTATION_LAYERS.lineLabel, ['==', ['geometry-type'], 'LineString'], { 'symbol-placement': 'line', 'text-offset': [0, -0.8] }),
        labels(ANNOTATION_LAYERS.areaLabel, ['==', ['geometry-type'], 'Polygon'], {}),
        labels(ANNOTATION_LAYERS.markerLabel, ['==', ['geometry-type'], 'Point'], { 'text-anchor': 'bottom', 'text-offset': [0, -0.9], 'text-allow-overlap': true }),
    ];
}

/** @param {number} step */
function graticule(step) {
    const features = [];
    for (let lon = -180; lon <= 180; lon += step) {
        const line = [];
        for (let lat = -85; lat <= 85; lat += 5) {
            line.push([lon, lat]);
        }
        features.push({ type: 'Feature', properties: { major: lon % 30 === 0 ? 1 : 0 }, geometry: { type: 'LineString', coordinates: line } });
    }
    for (let lat = -80; lat <= 80; lat += step) {
        const line = [];
        for (let lon = -180; lon <= 180; lon += 5) {
            line.push([lon, lat]);
        }
        features.push({ type: 'Feature', properties: { major: lat % 30 === 0 ? 1 : 0 }, geometry: { type: 'LineString', coordinates: line } });
    }
    return { type: 'FeatureCollection', features };
}
