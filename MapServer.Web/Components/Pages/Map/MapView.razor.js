// MapLibre 6 is an ES module; it starts its worker from maplibre-gl-worker.mjs beside it (same origin).
import * as maplibre from '/lib/maplibre/maplibre-gl.mjs';

// The live map: one MapLibre map per page, fed by the session's /events stream. Every change is a
// JSON merge patch; it is applied to the local copy of the state and only what changed is touched.

const BASEMAP_PREFIX = 'basemap-';
const ANNOTATION_SOURCE = 'mapserver-annotations';
const ANNOTATION_LAYERS = ['mapserver-annotation-fill', 'mapserver-annotation-line'];
const ANNOTATION_LABEL_LAYERS = ['mapserver-annotation-line-label', 'mapserver-annotation-area-label'];
const VIEW_KEYS = ['center', 'zoom', 'bearing', 'pitch', 'bounds'];
const REPORT_INTERVAL_MS = 500;

// Paint properties that carry a style layer's opacity, by layer type.
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

let pmtilesRegistered = false;

/** Starts the viewer in `container` for `sessionId`; `dotnet` receives the panel's data. */
export function start(container, sessionId, dotnet) {
    const maplibregl = maplibre;
    if (!maplibregl?.Map) {
        container.textContent = 'The map library did not load.';
        return { setLayerHidden() { }, focusMarker() { }, dispose() { } };
    }

    if (!pmtilesRegistered && window.pmtiles) {
        const protocol = new window.pmtiles.Protocol();
        maplibregl.addProtocol('pmtiles', protocol.tile);
        pmtilesRegistered = true;
    }

    const viewer = new MapViewer(maplibregl, container, sessionId, dotnet);
    window.mapServerViewer = viewer; // for browser tests and the curious: .map is the MapLibre map
    return {
        setLayerHidden: (layerId, hidden) => viewer.setLayerHidden(layerId, hidden),
        focusMarker: (markerId) => viewer.focusMarker(markerId),
        dispose: () => viewer.dispose(),
    };
}

class MapViewer {
    constructor(maplibregl, container, sessionId, dotnet) {
        this.maplibregl = maplibregl;
        this.sessionId = sessionId;
        this.dotnet = dotnet;
        this.state = null;
        this.status = 'connecting';
        this.hiddenLocally = new Set();
        this.applied = new Map();      // layerId -> { source, specs, effective: Map(styleLayerId -> {paint, layout, filter}) }
        this.markers = new Map();      // annotationId -> { marker, json }
        this.appliedBasemap = null;
        this.appliedOrder = '';
        this.styleReady = false;
        this.pending = false;
        this.disposed = false;
        this.lastReport = 0;
        this.reportTimer = null;
        this.clickedFeature = null;
        this.drawnAt = new Map();      // version -> when it was drawn (epoch ms)

        this.map = new maplibregl.Map({
            container,
            style: emptyStyle(),
            center: [0, 20],
            zoom: 2,
            attributionControl: { compact: true },
            cooperativeGestures: false,
        });
        this.map.addControl(new maplibregl.NavigationControl({ visualizePitch: true }), 'top-right');
        this.map.addControl(new maplibregl.ScaleControl(), 'bottom-left');
        // Tiles that fail (no internet, a dead server) are logged, never fatal: the map stays usable.
        this.map.on('error', (e) => console.warn('map:', e?.error?.message ?? e));
        this.map.on('load', () => {
            this.styleReady = true;
            loadPlaces(this.map);
            if (this.state) {
                this.reconcile(true);
            }
        });
        this.map.on('moveend', () => this.scheduleReport());
        this.map.on('click', (e) => this.onClick(e));

        this.resyncTimer = setInterval(() => this.resyncPanel(), 2000);
        this.connect();
    }

    // ---- live stream ------------------------------------------------------------------------

    connect() {
        if (this.disposed) {
            return;
        }

        const source = new EventSource(`/events?session=${encodeURIComponent(this.sessionId)}`);
        this.events = source;
        source.addEventListener('open', () => this.setStatus('connected'));
        source.addEventListener('snapshot', (e) => {
            const first = this.state === null;
            this.state = JSON.parse(e.data);
            this.setStatus('connected');
            this.reconcile(first);
            if (!first) {
                this.moveToStateView(true);
            }
        });
        source.addEventListener('change', (e) => {
            const change = JSON.parse(e.data);
            if (!this.state || change.version <= this.state.version) {
                return; // already applied (a replay overlapping a snapshot)
            }

            mergePatch(this.state, change.patch ?? {});
            this.state.version = change.version;
            this.setStatus('connected');
            this.reconcile(false);
            if (VIEW_KEYS.some((key) => key in (change.patch ?? {}))) {
                this.moveToStateView(true);
            }
            this.recordDrawn(change.version);
        });
        source.addEventListener('error', () => {
            if (source.readyState === EventSource.CLOSED) {
                // The browser gave up (e.g. an error status): try again ourselves, a snapshot follows.
                this.setStatus('reconnecting');
                source.close();
                this.retryTimer = setTimeout(() => this.connect(), 3000);
            } else {
                this.setStatus('reconnecting'); // EventSource retries by itself with Last-Event-ID
            }
        });
    }

    /**
     * When each version reached the screen (epoch ms): the frame after the change was applied, whose callbacks run after
     * MapLibre's own render of it. Read by the latency browser test; the last 256 versions are kept.
     */
    recordDrawn(version) {
        requestAnimationFrame((frame) => {
            this.drawnAt.set(version, performance.timeOrigin + frame);
            if (this.drawnAt.size > 256) {
                this.drawnAt.delete(this.drawnAt.keys().next().value);
            }
        });
    }

    setStatus(status) {
        if (this.status !== status) {
            this.status = status;
            this.notify();
        }
    }

    // ---- reconciling state -> map ----------------------------------------------------------

    reconcile(initial) {
        if (!this.styleReady || !this.state) {
            this.notify();
            return;
        }

        if (initial) {
            this.moveToStateView(false);
        }

        this.reconcileBasemap();
        this.reconcileLayers();
        this.reconcileAnnotations();
        this.reconcileOrder();
        this.notify();
    }

    moveToStateView(animate) {
        const s = this.state;
        if (!s) {
            return;
        }

        const view = { center: s.center ?? [0, 20], zoom: s.zoom ?? 2, bearing: s.bearing ?? 0, pitch: s.pitch ?? 0 };
        const box = s.bounds?.bbox;
        if (Array.isArray(box) && box.length === 4) {
            // fit_bounds: each viewer fits the box to its own screen (Mercator-correct); the state's center/zoom are
            // only what it implies on a nominal screen. west > east crosses the antimeridian.
            const [west, south, east, north] = box;
            this.map.fitBounds([[west, south], [east < west ? east + 360 : east, north]], {
                padding: Math.min(s.bounds.padding ?? 40, Math.floor(Math.min(this.map.getContainer().clientWidth, this.map.getContainer().clientHeight) / 3)),
                bearing: view.bearing,
                pitch: view.pitch,
                animate,
                duration: animate ? 800 : 0,
            });
            return;
        }

        if (animate) {
            this.map.easeTo({ ...view, duration: 800 });
        } else {
            this.map.jumpTo(view);
        }
    }

    reconcileBasemap() {
        const basemap = this.state.basemap ?? 'streets';
        if (basemap === this.appliedBasemap) {
            return;
        }

        const raster = RASTER_BASEMAPS[basemap];
        if (this.map.getLayer('basemap-raster')) {
            this.map.removeLayer('basemap-raster');
        }
        if (this.map.getSource('basemap-raster')) {
            this.map.removeSource('basemap-raster');
        }
        if (raster) {
            this.map.addSource('basemap-raster', { type: 'raster', tileSize: 256, ...raster });
            // Over the offline basemap, which shows through wherever the tiles cannot load.
            this.map.addLayer({ id: 'basemap-raster', type: 'raster', source: 'basemap-raster' }, this.firstDataLayerId());
        }
        this.map.getContainer().dataset.basemap = basemap;
        this.appliedBasemap = basemap;
    }

    reconcileLayers() {
        const layers = this.state.layers ?? {};
        for (const layerId of [...this.applied.keys()]) {
            if (!(layerId in layers)) {
                this.removeDataLayer(layerId);
            }
        }

        for (const [layerId, layer] of Object.entries(layers)) {
            const source = JSON.stringify(layer.source);
            const specs = JSON.stringify(layer.layers ?? []);
            let applied = this.applied.get(layerId);
            if (applied && applied.specs !== specs) {
                this.removeDataLayer(layerId);
                applied = undefined;
            } else if (applied && applied.source !== source) {
                const current = this.map.getSource(layerId);
                if (layer.source?.type === 'geojson' && current?.setData && sameExceptData(applied.source, layer.source)) {
                    current.setData(layer.source.data); // new data in place: no flicker
                    applied.source = source;
                } else {
                    this.removeDataLayer(layerId);
                    applied = undefined;
                }
            }

            if (!applied) {
                try {
                    this.map.addSource(layerId, layer.source);
                } catch (error) {
                    console.warn(`layer ${layerId}: source`, error);
                    continue;
                }
                applied = { source, specs, effective: new Map() };
                this.applied.set(layerId, applied);
                for (const spec of layer.layers ?? []) {
                    const effective = effectiveStyle(spec, layer, this.hiddenLocally.has(layerId));
                    const styleLayer = { ...spec, source: layerId, paint: effective.paint, layout: effective.layout };
                    delete styleLayer.filter;
                    if (effective.filter) {
                        styleLayer.filter = effective.filter;
                    }
                    try {
                        // An invalid spec is reported through the map's error event, not thrown: check it is there.
                        this.map.addLayer(styleLayer, this.annotationLayerId());
                        if (this.map.getLayer(spec.id)) {
                            applied.effective.set(spec.id, effective);
                        }
                    } catch (error) {
                        console.warn(`layer ${layerId}: style layer ${spec.id}`, error);
                    }
                }
                this.appliedOrder = ''; // a new layer: re-check the order
                continue;
            }

            for (const spec of layer.layers ?? []) {
                const before = applied.effective.get(spec.id);
                if (!before) {
                    continue;
                }
                const after = effectiveStyle(spec, layer, this.hiddenLocally.has(layerId));
                this.applyStyleDiff(spec.id, before, after);
                applied.effective.set(spec.id, after);
            }
        }
    }

    applyStyleDiff(styleLayerId, before, after) {
        try {
            for (const key of new Set([...Object.keys(before.paint), ...Object.keys(after.paint)])) {
                if (JSON.stringify(before.paint[key]) !== JSON.stringify(after.paint[key])) {
                    this.map.setPaintProperty(styleLayerId, key, after.paint[key]);
                }
            }
            for (const key of new Set([...Object.keys(before.layout), ...Object.keys(after.layout)])) {
                if (JSON.stringify(before.layout[key]) !== JSON.stringify(after.layout[key])) {
                    this.map.setLayoutProperty(styleLayerId, key, after.layout[key]);
                }
            }
            if (JSON.stringify(before.filter) !== JSON.stringify(after.filter)) {
                this.map.setFilter(styleLayerId, after.filter ?? null);
            }
        } catch (error) {
            console.warn(`style layer ${styleLayerId}`, error);
        }
    }

    removeDataLayer(layerId) {
        const applied = this.applied.get(layerId);
        for (const styleLayerId of applied?.effective.keys() ?? []) {
            if (this.map.getLayer(styleLayerId)) {
                this.map.removeLayer(styleLayerId);
            }
        }
        if (this.map.getSource(layerId)) {
            this.map.removeSource(layerId);
        }
        this.applied.delete(layerId);
    }

    reconcileOrder() {
        const order = orderedLayerIds(this.state);
        const signature = order.join('\u0000');
        if (signature === this.appliedOrder) {
            return;
        }

        // Bottom to top, each moved just under the annotations: the last moved ends up on top.
        for (const layerId of order) {
            for (const styleLayerId of this.applied.get(layerId)?.effective.keys() ?? []) {
                if (this.map.getLayer(styleLayerId)) {
                    this.map.moveLayer(styleLayerId, this.annotationLayerId());
                }
            }
        }
        this.appliedOrder = signature;
    }

    reconcileAnnotations() {
        const annotations = this.state.annotations ?? {};
        const features = [];
        for (const [id, annotation] of Object.entries(annotations)) {
            if (annotation.kind === 'marker') {
                this.putMarker(id, annotation);
                continue;
            }
            const geometry = annotation.kind === 'circle' ? circlePolygon(annotation.geometry?.coordinates, annotation.radiusMeters ?? 1000) : annotation.geometry;
            if (geometry) {
                features.push({ type: 'Feature', id: features.length, geometry, properties: { id, kind: annotation.kind, label: annotation.label ?? '', popup: annotation.popup ?? '', color: annotation.color ?? '#e11d48' } });
            }
        }
        for (const [id, entry] of [...this.markers]) {
            if (annotations[id]?.kind !== 'marker') {
                entry.marker.remove();
                this.markers.delete(id);
            }
        }

        const data = { type: 'FeatureCollection', features };
        const json = JSON.stringify(data);
        if (json !== this.appliedAnnotations) {
            this.map.getSource(ANNOTATION_SOURCE)?.setData(data);
            this.appliedAnnotations = json;
        }
    }

    putMarker(id, annotation) {
        const json = JSON.stringify(annotation);
        const existing = this.markers.get(id);
        if (existing?.json === json) {
            return;
        }

        const coordinates = annotation.geometry?.coordinates;
        if (!Array.isArray(coordinates) || coordinates.length < 2) {
            return;
        }

        if (existing) {
            // Same marker moved or restyled: update in place.
            existing.marker.setLngLat(coordinates);
            fillMarkerElement(existing.marker.getElement(), id, annotation);
            existing.marker.setPopup(this.popupFor(annotation.label, annotation.popup));
            existing.json = json;
            return;
        }

        const element = document.createElement('button');
        element.type = 'button';
        fillMarkerElement(element, id, annotation);
        const marker = new this.maplibregl.Marker({ element, anchor: 'bottom' })
            .setLngLat(coordinates)
            .setPopup(this.popupFor(annotation.label, annotation.popup))
            .addTo(this.map);
        this.markers.set(id, { marker, json });
    }

    popupFor(label, text) {
        if (!label && !text) {
            return null;
        }
        const content = document.createElement('div');
        content.className = 'msv-popup';
        if (label) {
            const title = document.createElement('strong');
            title.textContent = label; // text, never HTML: labels come from agents
            content.append(title);
        }
        if (text) {
            content.append(markdownToNodes(text));
        }
        return new this.maplibregl.Popup({ offset: 28, maxWidth: '18rem' }).setDOMContent(content);
    }

    focusMarker(markerId) {
        const entry = this.markers.get(markerId);
        if (!entry) {
            return;
        }
        this.map.easeTo({ center: entry.marker.getLngLat(), duration: 600 });
        if (entry.marker.getPopup() && !entry.marker.getPopup().isOpen()) {
            entry.marker.togglePopup();
        }
        entry.marker.getElement().focus();
    }

    setLayerHidden(layerId, hidden) {
        if (hidden) {
            this.hiddenLocally.add(layerId);
        } else {
            this.hiddenLocally.delete(layerId);
        }
        this.reconcile(false);
    }

    firstDataLayerId() {
        return this.map.getStyle().layers.find((l) => !l.id.startsWith(BASEMAP_PREFIX))?.id;
    }

    annotationLayerId() {
        return ANNOTATION_LAYERS[0];
    }

    // ---- person -> agent: what is on screen -----------------------------------------------

    onClick(e) {
        const dataLayers = [...this.applied.values()].flatMap((a) => [...a.effective.keys()]).filter((id) => this.map.getLayer(id));
        const hits = this.map.queryRenderedFeatures(e.point, { layers: [...dataLayers, ...ANNOTATION_LAYERS] });
        const hit = hits[0];
        if (!hit) {
            this.clickedFeature = null;
            this.scheduleReport();
            return;
        }

        const layerId = hit.layer.source === ANNOTATION_SOURCE ? hit.properties?.id : hit.layer.source;
        this.clickedFeature = {
            layerId,
            styleLayerId: hit.layer.id,
            geometryType: hit.geometry?.type,
            properties: hit.properties ?? {},
            lngLat: [e.lngLat.lng, e.lngLat.lat],
        };
        this.scheduleReport();

        const content = document.createElement('div');
        content.className = 'msv-popup';
        const title = document.createElement('strong');
        title.textContent = hit.layer.source === ANNOTATION_SOURCE ? (hit.properties?.label || layerId) : (this.state?.layers?.[layerId]?.title ?? layerId);
        content.append(title);
        const text = hit.layer.source === ANNOTATION_SOURCE ? hit.properties?.popup : null;
        if (text) {
            content.append(markdownToNodes(text));
        } else if (hit.layer.source !== ANNOTATION_SOURCE) {
            const table = document.createElement('dl');
            for (const [key, value] of Object.entries(hit.properties ?? {}).slice(0, 12)) {
                const dt = document.createElement('dt');
                dt.textContent = key;
                const dd = document.createElement('dd');
                dd.textContent = typeof value === 'object' ? JSON.stringify(value) : String(value);
                table.append(dt, dd);
            }
            content.append(table);
        }
        new this.maplibregl.Popup({ maxWidth: '20rem' }).setLngLat(e.lngLat).setDOMContent(content).addTo(this.map);
    }

    scheduleReport() {
        if (this.disposed || this.reportTimer) {
            return;
        }
        const wait = Math.max(0, this.lastReport + REPORT_INTERVAL_MS - Date.now());
        this.reportTimer = setTimeout(() => {
            this.reportTimer = null;
            this.lastReport = Date.now();
            this.report();
        }, wait);
    }

    report() {
        const bounds = this.map.getBounds();
        const center = this.map.getCenter();
        const body = {
            bounds: [bounds.getWest(), clampLat(bounds.getSouth()), bounds.getEast(), clampLat(bounds.getNorth())],
            zoom: Math.min(24, Math.max(0, this.map.getZoom())),
            center: [center.lng, clampLat(center.lat)],
            clickedFeature: this.clickedFeature ?? undefined,
        };
        fetch(`/sessions/${encodeURIComponent(this.sessionId)}/viewport`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(body),
        }).catch(() => { /* a report lost while offline is replaced by the next move */ });
    }

    // ---- map -> panel -----------------------------------------------------------------------

    notify() {
        if (this.pending || this.disposed) {
            return;
        }
        this.pending = true;
        setTimeout(() => {
            this.pending = false;
            this.sendPanelData();
        }, 30);
    }

    sendPanelData() {
        if (this.disposed) {
            return;
        }
        const data = this.panelData();
        const signature = JSON.stringify(data);
        this.dotnet.invokeMethodAsync('OnViewerChanged', data)
            .then(() => { this.delivered = signature; })
            .catch(() => { /* the circuit is down: the resync below tries again */ });
    }

    /** While the Blazor circuit is down (a network drop) calls fail or are lost: resend until the panel has the latest. */
    resyncPanel() {
        if (this.delivered !== undefined && this.delivered !== JSON.stringify(this.panelData())) {
            this.sendPanelData();
        }
    }

    panelData() {
        const state = this.state ?? {};
        const layers = orderedLayerIds(state).reverse().map((id) => {
            const layer = state.layers[id];
            return {
                id,
                title: layer.title || id,
                legendColor: paintedColor(layer) ?? layer.legendColor ?? '#64748b', // the colour the map shows wins
                visible: layer.visible !== false,
                hiddenLocally: this.hiddenLocally.has(id),
            };
        });
        const markers = Object.entries(state.annotations ?? {})
            .filter(([, a]) => a.kind === 'marker' && Array.isArray(a.geometry?.coordinates))
            .map(([id, a]) => ({ id, label: a.label ?? null, color: a.color ?? '#e11d48', longitude: a.geometry.coordinates[0], latitude: a.geometry.coordinates[1] }));
        return { status: this.status, version: this.state?.version ?? 0, basemap: state.basemap ?? '', layers, markers };
    }

    dispose() {
        this.disposed = true;
        clearTimeout(this.reportTimer);
        clearTimeout(this.retryTimer);
        clearInterval(this.resyncTimer);
        this.events?.close();
        this.map.remove();
        if (window.mapServerViewer === this) {
            delete window.mapServerViewer;
        }
    }
}

// ---- pure helpers ------------------------------------------------------------------------

/** The no-network style: background, a graticule generated here, and the (empty) annotation layers. */
/**
 * The style every map starts from: the offline basemap (Natural Earth land, lakes, rivers and borders, country names,
 * all served by this origin with the label glyphs), which `blank` shows alone and the online basemaps cover when
 * their tiles load, so a map without internet is still a map; then the annotations and their labels.
 */
function emptyStyle() {
    const dark = window.matchMedia?.('(prefers-color-scheme: dark)').matches;
    const c = dark
        ? { water: '#0b1a2e', land: '#1f2937', lake: '#0b1a2e', river: '#1e3a5f', border: '#94a3b8', label: '#e2e8f0', halo: '#0b1a2e', grid: '#334155' }
        : { water: '#a9cfe0', land: '#f1efe8', lake: '#a9cfe0', river: '#8fbfd6', border: '#8d8a99', label: '#334155', halo: '#ffffff', grid: '#94a3b8' };
    const naturalEarth = '<a href="https://www.naturalearthdata.com">Natural Earth</a>';
    const geojson = (file, attribution) => ({ type: 'geojson', data: `/lib/offline-basemap/${file}`, attribution });
    return {
        version: 8,
        // From this origin: every font stack is answered with the shipped Noto Sans, so labels draw offline too.
        glyphs: `${location.origin}/glyphs/{fontstack}/{range}.pbf`,
        sources: {
            'basemap-land': geojson('land.json', naturalEarth),
            'basemap-lakes': geojson('lakes.json'),
            'basemap-rivers': geojson('rivers.json'),
            'basemap-boundaries': geojson('boundaries.json'),
            'basemap-places': { type: 'geojson', data: { type: 'FeatureCollection', features: [] }, attribution: 'Country names: <a href="https://github.com/mledoze/countries">mledoze/countries</a> (ODbL)' },
            'basemap-graticule': { type: 'geojson', data: graticule(10) },
            [ANNOTATION_SOURCE]: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
        },
        layers: [
            { id: 'basemap-background', type: 'background', paint: { 'background-color': c.water } },
            { id: 'basemap-land', type: 'fill', source: 'basemap-land', paint: { 'fill-color': c.land } },
            { id: 'basemap-lakes', type: 'fill', source: 'basemap-lakes', paint: { 'fill-color': c.lake } },
            { id: 'basemap-rivers', type: 'line', source: 'basemap-rivers', paint: { 'line-color': c.river, 'line-width': ['interpolate', ['linear'], ['zoom'], 2, 0.3, 8, 1.5] } },
            { id: 'basemap-graticule', type: 'line', source: 'basemap-graticule', paint: { 'line-color': c.grid, 'line-opacity': 0.35, 'line-width': ['match', ['get', 'major'], 1, 1, 0.5] } },
            { id: 'basemap-boundaries', type: 'line', source: 'basemap-boundaries', paint: { 'line-color': c.border, 'line-width': ['interpolate', ['linear'], ['zoom'], 1, 0.6, 8, 1.6], 'line-dasharray': [3, 2] } },
            {
                id: 'basemap-places', type: 'symbol', source: 'basemap-places',
                layout: {
                    'text-field': ['get', 'name'], 'text-font': ['Noto Sans Regular'], 'symbol-sort-key': ['-', ['get', 'area']],
                    'text-size': ['interpolate', ['linear'], ['get', 'area'], 1e4, 10, 1e6, 12, 1e7, 14], 'text-max-width': 7,
                },
                paint: { 'text-color': c.label, 'text-halo-color': c.halo, 'text-halo-width': 1.5 },
            },
            { id: ANNOTATION_LAYERS[0], type: 'fill', source: ANNOTATION_SOURCE, filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': ['get', 'color'], 'fill-opacity': 0.25 } },
            { id: ANNOTATION_LAYERS[1], type: 'line', source: ANNOTATION_SOURCE, paint: { 'line-color': ['get', 'color'], 'line-width': 3 }, layout: { 'line-join': 'round', 'line-cap': 'round' } },
            // Labels of lines (along them) and of polygons and circles (inside them); markers show theirs on the pin.
            annotationLabels(ANNOTATION_LABEL_LAYERS[0], 'LineString', { 'symbol-placement': 'line', 'text-offset': [0, -0.8] }, c),
            annotationLabels(ANNOTATION_LABEL_LAYERS[1], 'Polygon', {}, c),
        ],
    };
}

function annotationLabels(id, geometryType, placement, c) {
    return {
        id, type: 'symbol', source: ANNOTATION_SOURCE,
        filter: ['all', ['==', ['geometry-type'], geometryType], ['!=', ['get', 'label'], '']],
        layout: { 'text-field': ['get', 'label'], 'text-font': ['Noto Sans Regular'], 'text-size': 13, 'text-max-width': 12, ...placement },
        paint: { 'text-color': c.label, 'text-halo-color': c.halo, 'text-halo-width': 2 },
    };
}

/** Country names at their centres, from the shipped world-countries list (largest first when labels collide). */
async function loadPlaces(map) {
    try {
        const response = await fetch('/lib/offline-basemap/countries.json');
        const countries = await response.json();
        const features = countries
            .filter((country) => Array.isArray(country.latlng) && country.latlng.length === 2)
            .map((country) => ({
                type: 'Feature',
                geometry: { type: 'Point', coordinates: [country.latlng[1], country.latlng[0]] },
                properties: { name: country.name?.common ?? '', area: country.area ?? 0 },
            }));
        map.getSource('basemap-places')?.setData({ type: 'FeatureCollection', features });
    } catch (error) {
        console.warn('map: country names did not load', error);
    }
}

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

/** RFC 7386: null deletes, objects merge, everything else replaces. */
export function mergePatch(target, patch) {
    for (const [key, value] of Object.entries(patch)) {
        if (value === null) {
            delete target[key];
        } else if (isObject(value) && isObject(target[key])) {
            mergePatch(target[key], value);
        } else {
            target[key] = structuredClone(value);
        }
    }
    return target;
}

function isObject(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function sameExceptData(appliedSourceJson, source) {
    const before = JSON.parse(appliedSourceJson);
    delete before.data;
    const after = { ...source };
    delete after.data;
    return JSON.stringify(before) === JSON.stringify(after);
}

/** A style layer as the state wants it drawn: its spec plus the agent's overrides, opacity and visibility. */
function effectiveStyle(spec, layer, hiddenLocally) {
    const paint = { ...(spec.paint ?? {}), ...(layer.paint?.[spec.id] ?? {}) };
    const layout = { ...(spec.layout ?? {}), ...(layer.layout?.[spec.id] ?? {}) };
    const opacity = typeof layer.opacity === 'number' ? layer.opacity : 1;
    if (opacity !== 1) {
        for (const property of OPACITY_PAINT[spec.type] ?? []) {
            const base = paint[property];
            paint[property] = typeof base === 'number' ? base * opacity : opacity;
        }
    }
    layout.visibility = layer.visible !== false && !hiddenLocally ? 'visible' : 'none';
    const filter = layer.filters?.[spec.id] ?? spec.filter ?? null;
    return { paint, layout, filter };
}

function orderedLayerIds(state) {
    const layers = state.layers ?? {};
    const order = (state.layerOrder ?? []).filter((id) => id in layers);
    for (const id of Object.keys(layers)) {
        if (!order.includes(id)) {
            order.push(id);
        }
    }
    return order;
}

/** The plain colour the layer's first colouring paint property draws with (overrides included), if there is one. */
function paintedColor(layer) {
    for (const spec of layer.layers ?? []) {
        for (const property of ['fill-color', 'line-color', 'circle-color', 'fill-extrusion-color', 'text-color']) {
            const value = layer.paint?.[spec.id]?.[property] ?? spec.paint?.[property];
            if (typeof value === 'string') {
                return value;
            }
        }
    }
    return undefined;
}

function fillMarkerElement(element, id, annotation) {
    element.className = 'msv-marker';
    element.dataset.markerId = id;
    element.setAttribute('aria-label', `Marker ${annotation.label || id}`);
    element.replaceChildren();
    const pin = document.createElement('span');
    pin.className = 'msv-pin';
    pin.style.setProperty('--pin-color', annotation.color ?? '#e11d48');
    element.append(pin);
    if (annotation.label) {
        const label = document.createElement('span');
        label.className = 'msv-marker-label';
        label.textContent = annotation.label;
        element.append(label);
    }
}

/** A circle of `radius` metres around [lon, lat] as a 64-sided polygon. */
function circlePolygon(center, radius) {
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

function clampLat(lat) {
    return Math.max(-90, Math.min(90, lat));
}

/**
 * A small Markdown subset for popups (paragraphs, "- " lists, **bold**, *italic*, `code`,
 * [links](https://...)), built as DOM nodes: agents' text is never parsed as HTML.
 */
export function markdownToNodes(markdown) {
    const fragment = document.createDocumentFragment();
    for (const block of markdown.replace(/\r\n/g, '\n').split(/\n{2,}/)) {
        const lines = block.split('\n').filter(line => line.trim() !== '');
        if (lines.length === 0) {
            continue;
        }
        if (lines.every(line => /^\s*[-*] /.test(line))) {
            const list = document.createElement('ul');
            for (const line of lines) {
                const item = document.createElement('li');
                appendInline(item, line.replace(/^\s*[-*] /, ''));
                list.append(item);
            }
            fragment.append(list);
            continue;
        }
        const paragraph = document.createElement('p');
        lines.forEach((line, index) => {
            if (index > 0) {
                paragraph.append(document.createElement('br'));
            }
            appendInline(paragraph, line);
        });
        fragment.append(paragraph);
    }
    return fragment;
}

const INLINE = /\*\*(.+?)\*\*|\*(.+?)\*|`(.+?)`|\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/g;

function appendInline(parent, text) {
    let last = 0;
    for (const match of text.matchAll(INLINE)) {
        parent.append(document.createTextNode(text.slice(last, match.index)));
        const [, bold, italic, code, linkText, href] = match;
        let node;
        if (bold !== undefined) {
            node = document.createElement('strong');
            node.textContent = bold;
        } else if (italic !== undefined) {
            node = document.createElement('em');
            node.textContent = italic;
        } else if (code !== undefined) {
            node = document.createElement('code');
            node.textContent = code;
        } else {
            node = document.createElement('a');
            node.textContent = linkText;
            node.href = href;
            node.target = '_blank';
            node.rel = 'noopener noreferrer';
        }
        parent.append(node);
        last = match.index + match[0].length;
    }
    parent.append(document.createTextNode(text.slice(last)));
}
