// @ts-check
// The map page's one script: it starts the live map for the session the page names (data-map-session). MapLibre 6 is
// an ES module; it starts its worker from maplibre-gl-worker.mjs beside it (same origin).
import * as maplibregl from '/lib/maplibre/maplibre-gl.mjs';
import { MapViewer } from './map-viewer.js';

const page = /** @type {HTMLElement | null} */ (document.querySelector('[data-map-session]'));

/** The page's live map, exported for the curious and for browser tests: .map is the MapLibre map, .state the session's state. */
export const viewer = page ? start(page) : null;

/** @param {HTMLElement} page */
function start(page) {
    const pmtiles = /** @type {any} */ (window).pmtiles;
    if (pmtiles) {
        maplibregl.addProtocol('pmtiles', new pmtiles.Protocol().tile);
    }
    return new MapViewer(
        maplibregl,
        /** @type {HTMLElement} */ (page.querySelector('.map-view')),
        /** @type {HTMLElement} */ (page.querySelector('.side-panel')),
        /** @type {string} */ (page.dataset.mapSession),
        { exports: true });
}
