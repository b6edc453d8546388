// @ts-check
// The map inside a chat (MCP Apps): a host shows the resource show_map names in a sandboxed frame and this module, loaded
// from the viewer's origin, joins the same live session as every browser viewer. It speaks the host protocol through the
// MCP Apps library's App: show_map's result names the map, the view goes back to the model as context, viewport reports
// travel as calls of the app-only report_viewport tool, and "Open the full map" asks the host to open the viewer.
import { App } from '../lib/ext-apps/app-with-deps.js';
import * as maplibregl from '../lib/maplibre/maplibre-gl.mjs';
import { MapViewer } from './map-viewer.js';

/** @typedef {import('./map-style.js').MapState} MapState */

const ORIGIN = new URL(import.meta.url).origin; // the viewer's: its /events, data, basemap and glyphs
const CONTEXT_DELAY_MS = 1000;
const SNAPSHOT_WIDTH = 480;

const root = /** @type {HTMLElement} */ (document.querySelector('.map-app'));
const status = /** @type {HTMLElement} */ (root.querySelector('[data-testid=app-status]'));
const openViewer = /** @type {HTMLAnchorElement} */ (root.querySelector('a.open-viewer'));

const app = new App({ name: 'MapServer map', version: '1.0.0' }, {});
/** The inline map, once the tool result has named its session (exported for the curious and for browser tests). @type {MapViewer | null} */
export let viewer = null;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let contextTimer;

app.ontoolresult = (result) => {
    const viewerUrl = viewerUrlOf(result);
    if (!viewerUrl) {
        status.textContent = result.isError ? 'The map could not be shown.' : 'This result names no map to show.';
        return;
    }
    show(viewerUrl);
};
app.onteardown = async () => {
    clearTimeout(contextTimer);
    viewer?.dispose();
    viewer = null;
    return {};
};

openViewer.addEventListener('click', async (event) => {
    if (!app.getHostCapabilities()?.openLinks) {
        return; // the plain link opens it where the host lets it
    }
    event.preventDefault();
    await app.openLink({ url: openViewer.href });
});

await app.connect();

/** Starts (or switches to) the live map of a viewer link. @param {string} viewerUrl */
function show(viewerUrl) {
    const view = decodeURIComponent(new URL(viewerUrl).pathname.split('/').pop() ?? '');
    if (viewer?.sessionId === view) {
        return;
    }
    viewer?.dispose();
    openViewer.href = viewerUrl;
    openViewer.hidden = false;
    status.textContent = '';
    viewer = new MapViewer(
        maplibregl,
        /** @type {HTMLElement} */ (root.querySelector('.map-view')),
        /** @type {HTMLElement} */ (root.querySelector('.side-panel')),
        view,
        {
            origin: ORIGIN,
            deliverViewport: ({ bounds, zoom, center, clickedFeature }) => app.callServerTool({
                name: 'report_viewport',
                arguments: { session_id: view, bounds, zoom, center, clicked_feature: clickedFeature },
            }),
            onDrawn: () => scheduleContext(),
        });
    viewer.map.on('moveend', () => scheduleContext());
}

/** The viewer link in show_map's result: its structured content, else the text (some hosts drop structured content). @param {any} result */
function viewerUrlOf(result) {
    const structured = result?.structuredContent?.viewer_url;
    if (typeof structured === 'string') {
        return structured;
    }
    for (const block of result?.content ?? []) {
        const match = block?.type === 'text' ? /https?:\/\/\S+\/map\/[\w-]+/.exec(block.text) : null;
        if (match) {
            return match[0];
        }
    }
    return null;
}

/** Tells the model what the map in the chat shows, once things settle. */
function scheduleContext() {
    clearTimeout(contextTimer);
    contextTimer = setTimeout(() => void updateContext().catch((e) => console.warn('model context:', e?.message ?? e)), CONTEXT_DELAY_MS);
}

async function updateContext() {
    const current = viewer;
    if (!current?.state) {
        return;
    }
    const map = current.map;
    const bounds = map.getBounds();
    const center = map.getCenter();
    const view = {
        version: current.state.version,
        bounds: [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()].map(round),
        zoom: round(map.getZoom()),
        center: [round(center.lng), round(center.lat)],
        layers: Object.keys(current.state.layers ?? {}),
        annotations: Object.keys(current.state.annotations ?? {}).length,
    };
    const layers = view.layers.length ? `layers ${view.layers.join(', ')}` : 'no layers';
    /** @type {any[]} */
    const content = [{
        type: 'text',
        text: `The map shown in the chat (version ${view.version}) is at zoom ${view.zoom} around [${view.center.join(', ')}], ` +
            `bounds [${view.bounds.join(', ')}], with ${layers} and ${view.annotations} annotation(s).`,
    }];
    if (app.getHostCapabilities()?.updateModelContext?.image) {
        content.push({ type: 'image', mimeType: 'image/png', data: await snapshot(map) });
    }
    await app.updateModelContext({ content, structuredContent: view });
}

/** A small PNG of the map as drawn (base64), read in a frame's render, while the drawing buffer holds it. @param {import('maplibre-gl').Map} map */
function snapshot(map) {
    return new Promise((resolve) => {
        map.once('render', () => {
            const canvas = map.getCanvas();
            const small = document.createElement('canvas');
            small.width = Math.min(SNAPSHOT_WIDTH, canvas.width);
            small.height = Math.round(canvas.height * small.width / canvas.width);
            small.getContext('2d')?.drawImage(canvas, 0, 0, small.width, small.height);
            resolve(small.toDataURL('image/png').split(',')[1]);
        });
        map.triggerRepaint();
    });
}

/** @param {number} value */
function round(value) {
    return Math.round(value * 1e4) / 1e4;
}
