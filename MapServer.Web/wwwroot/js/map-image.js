// @ts-check
// The map renderer's page: `window.drawMap(request)` draws a session's state at a size and camera with the viewer's own
// renderer (map-style.js) and resolves once everything that can load has loaded; the renderer then screenshots #map.
import * as maplibregl from '/lib/maplibre/maplibre-gl.mjs';
import { renderStyle } from './map-style.js';
import { StyleUpdates } from './style-updates.js';

/**
 * @typedef {import('./map-style.js').MapState} MapState
 * @typedef {{ state: MapState, width: number, height: number, scheme?: 'light' | 'dark',
 *             camera?: { center: [number, number], zoom: number, bearing?: number, pitch?: number },
 *             bbox?: [number, number, number, number], settleMs?: number }} DrawRequest
 */

const container = /** @type {HTMLElement} */ (document.getElementById('map'));
/** @type {import('maplibre-gl').Map | null} */
let map = null;
/** @type {StyleUpdates | null} */
let updates = null;

/** @param {DrawRequest} request */
async function drawMap(request) {
    container.style.width = `${request.width}px`;
    container.style.height = `${request.height}px`;
    const style = renderStyle(request.state, { origin: location.origin, scheme: request.scheme ?? 'light' });
    if (!map) {
        map = new maplibregl.Map({ container, style, attributionControl: { compact: false }, fadeDuration: 0, interactive: false });
        updates = new StyleUpdates(style);
        map.on('error', (e) => console.warn('map:', e?.error?.message ?? e)); // an unreachable tile host leaves the offline basemap
    } else {
        map.resize();
        updates?.apply(map, style); // the basemap's sources stay loaded from image to image
    }

    const s = request.state;
    if (request.bbox) {
        const [west, south, east, north] = request.bbox;
        map.fitBounds([[west, south], [east < west ? east + 360 : east, north]], { padding: 0, animate: false });
    } else if (request.camera) {
        map.jumpTo({ bearing: 0, pitch: 0, ...request.camera });
    } else if (Array.isArray(s.bounds?.bbox) && s.bounds.bbox.length === 4) {
        const [west, south, east, north] = s.bounds.bbox;
        const padding = Math.min(s.bounds.padding ?? 40, Math.floor(Math.min(request.width, request.height) / 3));
        map.fitBounds([[west, south], [east < west ? east + 360 : east, north]], { padding, bearing: s.bearing ?? 0, pitch: s.pitch ?? 0, animate: false });
    } else {
        map.jumpTo({ center: /** @type {[number, number]} */ (s.center ?? [0, 20]), zoom: s.zoom ?? 2, bearing: s.bearing ?? 0, pitch: s.pitch ?? 0 });
    }

    await settled(map, request.settleMs ?? 10000);
    const c = map.getCenter();
    return { center: [c.lng, c.lat], zoom: map.getZoom() };
}

/**
 * Resolves when the map goes idle (style, sources and requested tiles loaded or failed, nothing moving), or after
 * `limitMs` (a slow tile host must not hold the image back forever).
 * @param {import('maplibre-gl').Map} m @param {number} limitMs
 */
function settled(m, limitMs) {
    return new Promise((resolve) => {
        const timer = setTimeout(resolve, limitMs);
        m.once('idle', () => {
            clearTimeout(timer);
            resolve(undefined);
        });
        m.triggerRepaint();
    });
}

/** @type {any} */ (window).drawMap = drawMap;
