// @ts-check
// The map page's one script: it starts the live map for the session the page names (data-map-session). MapLibre 6 is
// an ES module; it starts its worker from maplibre-gl-worker.mjs beside it (same origin).
import * as maplibregl from '/lib/maplibre/maplibre-gl.mjs';
import { MapViewer } from './map-viewer.js';

const page = /** @type {HTMLElement | null} */ (document.querySelector('[data-map-session]'));
if (page) {
    const pmtiles = /** @type {any} */ (window).pmtiles;
    if (pmtiles) {
        maplibregl.addProtocol('pmtiles', new pmtiles.Protocol().tile);
    }
    const viewer = new MapViewer(
        maplibregl,
        /** @type {HTMLElement} */ (page.querySelector('.map-view')),
        /** @type {HTMLElement} */ (page.querySelector('.side-panel')),
        /** @type {string} */ (page.dataset.mapSession),
        { exports: true });
    // For browser tests and the curious: .map is the MapLibre map, .state the session's state.
    /** @type {any} */ (window).mapServerViewer = viewer;
}
