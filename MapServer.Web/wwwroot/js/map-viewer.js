// @ts-check
import { renderStyle, ANNOTATION_SOURCE, ANNOTATION_LAYERS, ONLINE_BASEMAP_SOURCE, orderedLayerIds } from './map-style.js';
import { markdownToNodes } from './markdown.js';
import { MapStream } from './map-stream.js';
import { SidePanel } from './side-panel.js';
import { ViewportReports, postTo } from './viewport-reports.js';
import { StyleUpdates } from './style-updates.js';
import { FileImports } from './file-import.js';
import { layerExportUrl } from './session-urls.js';

/**
 * @typedef {import('./map-style.js').MapState} MapState
 * @typedef {import('./map-stream.js').StreamStatus} StreamStatus
 * @typedef {{ origin?: string, deliverViewport?: import('./viewport-reports.js').ReportDelivery, onDrawn?: (state: MapState) => void, exports?: boolean }} ViewerOptions
 */

const MOVE_MS = 800;
const DRAWN_VERSIONS_KEPT = 256;
/**
 * The User Timing mark (performance.mark) of the frame that first showed a version, at that frame's time: devtools'
 * Performance panel shows them, and the browser tests read them (ViewerHandle.DrawnMarkPrefix). @param {number} version
 */
const drawnMark = (version) => `mapserver:drawn v${version}`;

/** How long a screen shows the offline basemap alone after the online one failed, before it asks again. */
const ONLINE_BASEMAP_RETRY_MS = 2 * 60_000;

/**
 * One live map page: the session's stream feeds the state; each state is rendered to a style (map-style.js) that
 * MapLibre applies with its own diff; the side panel shows the same state; the camera follows the agent's view.
 */
export class MapViewer {
    /**
     * @param {typeof import('maplibre-gl')} maplibregl
     * @param {HTMLElement} container the map's element
     * @param {HTMLElement} panel the side panel's element
     * @param {string} sessionId the page's session string: a session id, or a view or import token
     * @param {ViewerOptions} [options] where the viewer's origin is (default: this page's), how viewport reports travel,
     * who to tell when a state is on screen, and whether the layer list offers downloads (default: no)
     */
    constructor(maplibregl, container, panel, sessionId, options = {}) {
        this.maplibregl = maplibregl;
        this.sessionId = sessionId;
        this.origin = options.origin ?? location.origin;
        this.onDrawn = options.onDrawn ?? (() => {});
        /** @type {MapState | null} */
        this.state = null;
        /** @type {StreamStatus} */
        this.status = 'connecting';
        /** Layers this person hid on their screen only. @type {Set<string>} */
        this.hiddenLocally = new Set();
        this.styleReady = false;
        this.disposed = false;
        /** Whether this screen asks for the online basemap's tiles (false for a while after they failed to load). */
        this.onlineBasemap = true;
        /** Whether the camera is where the agent last put it: no pan, zoom or marker focus by this person since. */
        this.atAgentView = true;
        /** @type {ReturnType<typeof setTimeout> | undefined} */
        this.basemapRetry = undefined;
        /** The versions whose drawn mark is kept, oldest first. @type {number[]} */
        this.drawnVersions = [];
        this.scheme = matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';

        const initial = this.render({ version: 0, basemap: 'blank' }); // no online tiles before the state names a basemap
        this.styleUpdates = new StyleUpdates(initial);
        this.map = new maplibregl.Map({
            container,
            style: initial,
            center: [0, 20],
            zoom: 2,
            attributionControl: { compact: true },
        });
        this.map.addControl(new maplibregl.NavigationControl({ visualizePitch: true }), 'top-right');
        this.map.addControl(new maplibregl.ScaleControl(), 'bottom-left');
        // Tiles that fail (no internet, a dead server) are never fatal. When the online basemap's fail, this screen stops
        // asking for them (each failed tile is a console error of the browser's own) and shows the offline basemap.
        this.map.on('error', (e) => {
            if (/** @type {any} */ (e).sourceId === ONLINE_BASEMAP_SOURCE) {
                this.onlineBasemapFailed();
            } else {
                console.warn('map:', e?.error?.message ?? e);
            }
        });
        this.map.on('load', () => {
            this.styleReady = true;
            if (this.state) {
                this.draw();
                this.moveToStateView(false);
                this.recordDrawn(this.state.version);
            }
        });
        this.map.on('moveend', () => this.reports.schedule());
        this.map.on('movestart', (e) => {
            if (/** @type {any} */ (e).originalEvent) {
                this.atAgentView = false; // the person moved the map
            }
        });
        // A screen that changes size (a phone turned, the panel grown) keeps the agent's box fitted, unless the person moved.
        this.map.on('resize', () => {
            if (this.atAgentView && this.state?.bounds) {
                this.moveToStateView(false);
            }
        });
        this.map.on('click', (e) => this.onClick(e));

        this.reports = new ViewportReports(this.map, () => this.status === 'connected', options.deliverViewport ?? postTo(this.origin, sessionId));
        this.panel = new SidePanel(panel, {
            onToggleLayer: (layerId, shown) => this.setLayerHidden(layerId, !shown),
            onFocusMarker: (markerId) => this.focusMarker(markerId),
            exportUrl: options.exports ? (layerId, format) => layerExportUrl(this.origin, sessionId, layerId, format) : undefined,
        });
        // File import where the panel has its section (the full page; not the map in a chat).
        const importSection = /** @type {HTMLElement | null} */ (panel.querySelector('[data-panel=import]'));
        this.imports = importSection ? new FileImports(this.map, importSection, sessionId, this.origin) : null;
        this.stream = new MapStream(sessionId, {
            onState: (state, change) => this.onState(state, change),
            onStatus: (status) => {
                this.status = status;
                this.panel.showStatus(status, this.state?.version ?? 0);
                if (status === 'connected') {
                    this.reports.resume();
                }
            },
        }, this.origin);
    }

    /**
     * @param {MapState} state
     * @param {{ first: boolean, viewChanged: boolean }} change
     */
    onState(state, change) {
        this.state = state;
        this.panel.showStatus(this.status, state.version);
        this.panel.show(state, this.hiddenLocally);
        if (!this.styleReady) {
            return; // drawn on load
        }
        this.draw();
        if (change.first || change.viewChanged) {
            this.moveToStateView(!change.first);
        }
        this.recordDrawn(state.version);
    }

    /** @param {MapState} state */
    render(state) {
        return renderStyle(state, {
            origin: this.origin, scheme: /** @type {'light' | 'dark'} */ (this.scheme), hiddenLayers: [...this.hiddenLocally], onlineBasemap: this.onlineBasemap,
        });
    }

    /** The online basemap could not load: the offline one alone, said once in the panel, and another try later. */
    onlineBasemapFailed() {
        if (!this.onlineBasemap || this.disposed) {
            return; // said already: the tiles still in flight fail too
        }
        this.onlineBasemap = false;
        const name = this.state?.basemap ?? 'streets';
        console.warn(`map: the ${name} basemap's tiles could not load; showing the offline basemap, trying again in ${ONLINE_BASEMAP_RETRY_MS / 60000} minutes`);
        this.panel.showNotice(`The ${name} basemap could not load here, so the map shows its offline basemap. It tries again in ${ONLINE_BASEMAP_RETRY_MS / 60000} minutes.`);
        this.draw();
        this.basemapRetry = setTimeout(() => {
            this.onlineBasemap = true;
            this.panel.showNotice(null);
            this.draw();
        }, ONLINE_BASEMAP_RETRY_MS);
    }

    /** Applies the state's style; MapLibre's diff touches only what changed (a source's new data in place). */
    draw() {
        if (!this.state) {
            return;
        }
        this.styleUpdates.apply(this.map, this.render(this.state));
        this.map.getContainer().dataset.basemap = this.state.basemap ?? 'streets';
    }

    /** The frame after a change was applied, whose callbacks run after MapLibre's own render of it. @param {number} version */
    recordDrawn(version) {
        requestAnimationFrame((frame) => {
            performance.mark(drawnMark(version), { startTime: frame });
            this.drawnVersions.push(version);
            if (this.drawnVersions.length > DRAWN_VERSIONS_KEPT) {
                performance.clearMarks(drawnMark(/** @type {number} */ (this.drawnVersions.shift())));
            }
            if (this.state) {
                this.onDrawn(this.state);
            }
        });
    }

    /** Moves the camera to the agent's view; a fitted box is fitted to this screen (Mercator-correct). @param {boolean} animate */
    moveToStateView(animate) {
        const s = this.state;
        if (!s) {
            return;
        }

        this.atAgentView = true;
        const view = { center: /** @type {[number, number]} */ (s.center ?? [0, 20]), zoom: s.zoom ?? 2, bearing: s.bearing ?? 0, pitch: s.pitch ?? 0 };
        const box = s.bounds?.bbox;
        if (Array.isArray(box) && box.length === 4) {
            // west > east crosses the antimeridian.
            const [west, south, east, north] = box;
            const container = this.map.getContainer();
            this.map.fitBounds([[west, south], [east < west ? east + 360 : east, north]], {
                padding: Math.min(s.bounds?.padding ?? 40, Math.floor(Math.min(container.clientWidth, container.clientHeight) / 3)),
                bearing: view.bearing,
                pitch: view.pitch,
                animate,
                duration: animate ? MOVE_MS : 0,
            });
        } else if (animate) {
            this.map.easeTo({ ...view, duration: MOVE_MS });
        } else {
            this.map.jumpTo(view);
        }
    }

    /** Hides or shows a layer on this person's map only; the shared state is untouched. @param {string} layerId @param {boolean} hidden */
    setLayerHidden(layerId, hidden) {
        if (hidden) {
            this.hiddenLocally.add(layerId);
        } else {
            this.hiddenLocally.delete(layerId);
        }
        if (this.state) {
            this.panel.show(this.state, this.hiddenLocally);
            if (this.styleReady) {
                this.draw();
            }
        }
    }

    /** Centres the map on a marker and opens its popup. @param {string} markerId */
    focusMarker(markerId) {
        const marker = this.state?.annotations?.[markerId];
        const coordinates = marker?.geometry?.coordinates;
        if (!marker || !Array.isArray(coordinates)) {
            return;
        }
        const lngLat = /** @type {[number, number]} */ ([coordinates[0], coordinates[1]]);
        this.atAgentView = false;
        this.map.easeTo({ center: lngLat, duration: 600 });
        this.openPopup(lngLat, popupContent(marker.label || markerId, marker.popup ?? ''), 18);
    }

    /** A click on a feature opens its popup and tells the agent what was clicked. @param {any} e */
    onClick(e) {
        const dataLayers = orderedLayerIds(this.state ?? { version: 0 })
            .flatMap((id) => (this.state?.layers?.[id]?.layers ?? []).map((spec) => spec.id))
            .filter((id) => this.map.getLayer(id));
        const annotationLayers = [ANNOTATION_LAYERS.marker, ANNOTATION_LAYERS.fill, ANNOTATION_LAYERS.line];
        const hit = this.map.queryRenderedFeatures(e.point, { layers: [...annotationLayers, ...dataLayers] })[0];
        if (!hit) {
            this.reports.clicked(null);
            return;
        }

        const isAnnotation = hit.layer.source === ANNOTATION_SOURCE;
        const layerId = isAnnotation ? hit.properties?.id : hit.layer.source;
        this.reports.clicked({ layerId, styleLayerId: hit.layer.id, geometryType: hit.geometry?.type, properties: hit.properties ?? {}, lngLat: [e.lngLat.lng, e.lngLat.lat] });
        const content = isAnnotation
            ? popupContent(hit.properties?.label || layerId, hit.properties?.popup ?? '')
            : popupContent(this.state?.layers?.[layerId]?.title ?? layerId, '', hit.properties ?? {});
        const anchor = hit.layer.id === ANNOTATION_LAYERS.marker ? /** @type {[number, number]} */ (hit.geometry.coordinates) : e.lngLat;
        this.openPopup(anchor, content, hit.layer.id === ANNOTATION_LAYERS.marker ? 18 : 0);
    }

    /** @param {any} lngLat @param {HTMLElement} content @param {number} offset */
    openPopup(lngLat, content, offset) {
        this.popup?.remove();
        this.popup = new this.maplibregl.Popup({ maxWidth: '20rem', offset }).setLngLat(lngLat).setDOMContent(content).addTo(this.map);
    }

    dispose() {
        this.disposed = true;
        clearTimeout(this.basemapRetry);
        this.imports?.dispose();
        this.reports.close();
        this.stream.close();
        this.map.remove();
    }
}

/**
 * A popup's content: the title as text, the agent's Markdown (never HTML), or a feature's first properties.
 * @param {string} title @param {string} markdown @param {Record<string, unknown>} [properties]
 */
function popupContent(title, markdown, properties) {
    const content = document.createElement('div');
    content.className = 'msv-popup';
    const heading = document.createElement('strong');
    heading.textContent = title;
    content.append(heading);
    if (markdown) {
        content.append(markdownToNodes(markdown));
    } else if (properties) {
        const table = document.createElement('dl');
        for (const [key, value] of Object.entries(properties).slice(0, 12)) {
            const dt = document.createElement('dt');
            dt.textContent = key;
            const dd = document.createElement('dd');
            dd.textContent = typeof value === 'object' ? JSON.stringify(value) : String(value);
            table.append(dt, dd);
        }
        content.append(table);
    }
    return content;
}
