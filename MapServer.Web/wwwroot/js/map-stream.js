// @ts-check
import { mergePatch } from './merge-patch.js';
import { eventsUrl } from './session-urls.js';

/**
 * @typedef {import('./map-style.js').MapState} MapState
 * @typedef {'connecting' | 'connected' | 'reconnecting'} StreamStatus
 * @typedef {{ onState: (state: MapState, change: { first: boolean, viewChanged: boolean }) => void, onStatus: (status: StreamStatus) => void }} StreamHandlers
 */

const VIEW_KEYS = ['center', 'zoom', 'bearing', 'pitch', 'bounds'];
const RETRY_MS = 3000;

/**
 * A session's live state over its one /events stream: a snapshot, then JSON merge patches. The browser's EventSource
 * reconnects with Last-Event-ID and the server replays what was missed (or sends a new snapshot); versions already
 * applied are skipped.
 */
export class MapStream {
    /** @param {string} sessionId @param {StreamHandlers} handlers @param {string} origin the viewer's origin (its /events) */
    constructor(sessionId, handlers, origin) {
        this.sessionId = sessionId;
        this.origin = origin;
        this.handlers = handlers;
        /** @type {MapState | null} */
        this.state = null;
        /** @type {StreamStatus} */
        this.status = 'connecting';
        /** @type {EventSource | null} */
        this.source = null;
        /** @type {ReturnType<typeof setTimeout> | undefined} */
        this.retryTimer = undefined;
        this.closed = false;
        this.connect();
    }

    connect() {
        if (this.closed) {
            return;
        }

        const source = new EventSource(eventsUrl(this.origin, this.sessionId));
        this.source = source;
        source.addEventListener('open', () => this.setStatus('connected'));
        source.addEventListener('snapshot', (e) => {
            const first = this.state === null;
            this.state = JSON.parse(e.data);
            this.setStatus('connected');
            this.handlers.onState(/** @type {MapState} */ (this.state), { first, viewChanged: !first });
        });
        source.addEventListener('change', (e) => {
            const change = JSON.parse(e.data);
            if (!this.state || change.version <= this.state.version) {
                return; // already applied (a replay overlapping a snapshot)
            }

            const patch = change.patch ?? {};
            mergePatch(this.state, patch);
            this.state.version = change.version;
            this.setStatus('connected');
            this.handlers.onState(this.state, { first: false, viewChanged: VIEW_KEYS.some((key) => key in patch) });
        });
        source.addEventListener('error', () => {
            this.setStatus('reconnecting');
            if (source.readyState === EventSource.CLOSED) {
                // The browser gave up (an error status, e.g. 503 while the api restarts): try again ourselves.
                source.close();
                this.retryTimer = setTimeout(() => this.connect(), RETRY_MS);
            }
        });
    }

    /** @param {StreamStatus} status */
    setStatus(status) {
        if (this.status !== status) {
            this.status = status;
            this.handlers.onStatus(status);
        }
    }

    close() {
        this.closed = true;
        clearTimeout(this.retryTimer);
        this.source?.close();
    }
}
