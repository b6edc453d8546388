// @ts-check
import { viewportUrl } from './session-urls.js';

const REPORT_INTERVAL_MS = 500;

/**
 * @typedef {{ layerId: string, styleLayerId: string, geometryType?: string, properties: Record<string, unknown>, lngLat: number[] }} ClickedFeature
 * @typedef {{ bounds: number[], zoom: number, center: number[], clickedFeature?: ClickedFeature }} ViewportReport
 * @typedef {(report: ViewportReport) => Promise<unknown>} ReportDelivery
 */

/**
 * Reports go to the viewer's origin (`POST /sessions/{id}/viewport`).
 * @param {string} origin @param {string} sessionId
 * @returns {ReportDelivery}
 */
export function postTo(origin, sessionId) {
    return (report) => fetch(viewportUrl(origin, sessionId), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(report),
    });
}

/**
 * Tells the api what this person is looking at (bounds, zoom, centre, the feature last clicked), at most every half
 * second, so the agent can ask with get_viewport. A report lost while offline is replaced by the next move.
 */
export class ViewportReports {
    /**
     * @param {import('maplibre-gl').Map} map
     * @param {() => boolean} online whether the session's stream is connected: reports wait while it is not
     * @param {ReportDelivery} deliver sends a report (the page posts it; an MCP App calls the app-only tool through its host)
     */
    constructor(map, online, deliver) {
        this.deliver = deliver;
        this.map = map;
        this.online = online;
        this.last = 0;
        /** @type {ReturnType<typeof setTimeout> | null} */
        this.timer = null;
        /** @type {ClickedFeature | null} */
        this.clickedFeature = null;
        this.closed = false;
        this.pending = false;
    }

    /** @param {ClickedFeature | null} feature */
    clicked(feature) {
        this.clickedFeature = feature;
        this.schedule();
    }

    schedule() {
        if (this.closed || this.timer) {
            return;
        }
        const wait = Math.max(0, this.last + REPORT_INTERVAL_MS - Date.now());
        this.timer = setTimeout(() => {
            this.timer = null;
            if (!this.online()) {
                this.pending = true; // sent when the stream is back (see resume)
                return;
            }
            this.last = Date.now();
            this.send();
        }, wait);
    }

    /** The stream is connected again: send what waited. */
    resume() {
        if (this.pending) {
            this.pending = false;
            this.schedule();
        }
    }

    send() {
        const bounds = this.map.getBounds();
        const center = this.map.getCenter();
        /** @type {ViewportReport} */
        const report = {
            bounds: [bounds.getWest(), clampLatitude(bounds.getSouth()), bounds.getEast(), clampLatitude(bounds.getNorth())],
            zoom: Math.min(24, Math.max(0, this.map.getZoom())),
            center: [center.lng, clampLatitude(center.lat)],
            clickedFeature: this.clickedFeature ?? undefined,
        };
        this.deliver(report).catch(() => { /* offline: the next move reports again */ });
    }

    close() {
        this.closed = true;
        if (this.timer) {
            clearTimeout(this.timer);
        }
    }
}

/** @param {number} latitude */
function clampLatitude(latitude) {
    return Math.max(-90, Math.min(90, latitude));
}
