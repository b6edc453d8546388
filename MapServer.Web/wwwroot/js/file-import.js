// @ts-check
// Files from this person's computer onto the shared map: a file dropped on the map, or picked with the side panel's
// button, is uploaded to the session (POST /sessions/{session}/imports, the raw bytes). The server converts it and the
// new layer arrives on the stream like any other change, so every viewer sees it; the person who dropped it sees the
// upload's progress and result here, and their map moves to what was added. A read-only link ('v' token) cannot import.
import { importUrl } from './session-urls.js';

/**
 * @typedef {{ layerId: string, title?: string | null, features?: number, geometryTypes?: Record<string, number>, bbox?: number[] | null, columns?: string[] }} ImportedLayer
 * @typedef {{ version: number, layers: ImportedLayer[], warnings?: string[], summary?: string }} ImportResult
 * @typedef {{ error: string, hint?: string }} ImportFailure
 * @typedef {{ ok: true, result: ImportResult } | { ok: false, failure: ImportFailure }} UploadOutcome
 * @typedef {{ onProgress: (sent: number, total: number | null) => void, onSent: () => void }} UploadHandlers
 */

export const FORMATS = 'CSV/TSV, GeoJSON, KML/KMZ, GPX, zipped Shapefile, GeoPackage';
export const READ_ONLY_TEXT = 'This map link is read-only. To add a file, ask your agent for an import link (its get_import_link tool).';

const FIT_PADDING = 40;
const FIT_MAX_ZOOM = 16;
const FIT_MS = 800;
const ITEMS_KEPT = 8;

/** What an answer without the server's JSON error means, by status (a proxy in between answers in its own words). */
const FAILURE_BY_STATUS = /** @type {Record<number, ImportFailure>} */ ({
    400: { error: 'The file could not be read.', hint: `Check that it is one of: ${FORMATS}.` },
    403: { error: 'This map link is read-only.', hint: 'Ask your agent for an import link (its get_import_link tool).' },
    404: { error: 'This map session no longer exists.', hint: 'Ask your agent for a new map.' },
    413: { error: 'The file is too large.', hint: 'Try a smaller file, or split it.' },
    415: { error: 'This kind of file is not supported.', hint: `Supported: ${FORMATS}.` },
    429: { error: 'Too many uploads at once.', hint: 'Wait a moment and try again.' },
});
const NETWORK_FAILURE = { error: 'The upload failed: the server could not be reached.', hint: 'Check the connection and try again.' };

/** A read-only view token: 23 characters starting with 'v' (a session id has 22; an import token starts with 'i'). @param {string} session */
export function isReadOnly(session) {
    return session.length === 23 && session.startsWith('v');
}

/**
 * The file upload of one page: the drop zone on the map (an overlay while a file is dragged over it), the panel's
 * button and file input, and the status area; files go one after another.
 */
export class FileImports {
    /**
     * @param {import('maplibre-gl').Map} map the map files are dropped on; it moves to what was added
     * @param {HTMLElement} root the side panel's import section ([data-panel=import]): button, file input, status area
     * @param {string} session the page's session string (session id, view token or import token)
     * @param {string} origin the viewer's origin
     */
    constructor(map, root, session, origin) {
        this.map = map;
        this.root = root;
        this.session = session;
        this.origin = origin;
        this.readOnly = isReadOnly(session);
        this.zone = map.getContainer();
        this.status = /** @type {HTMLElement} */ (root.querySelector('[data-testid=import-status]'));
        /** @type {File[]} */
        this.queue = [];
        this.busy = false;
        /** The boxes added in this batch of files, which the map fits. @type {number[][]} */
        this.added = [];
        /** @type {XMLHttpRequest | null} */
        this.current = null;
        this.listening = new AbortController();
        this.overlay = this.readOnly ? null : dropOverlay();
        if (this.overlay) {
            this.zone.append(this.overlay);
        }

        if (this.readOnly) {
            // No way to add a file here: the section shows only to explain a drop.
            root.querySelectorAll('.import-button, .import-input, .import-formats').forEach((node) => node.remove());
        }
        this.listen();
        root.hidden = this.readOnly;
    }

    listen() {
        const signal = this.listening.signal;
        // Anywhere on the page, a dropped file never replaces it (the browser's default is to open the file).
        window.addEventListener('dragover', (e) => {
            if (hasFiles(e) && !this.zone.contains(/** @type {Node | null} */ (e.target))) {
                e.preventDefault();
                /** @type {DataTransfer} */ (e.dataTransfer).dropEffect = 'none';
            }
        }, { signal });
        window.addEventListener('drop', (e) => {
            if (hasFiles(e)) {
                e.preventDefault();
            }
        }, { signal });

        this.zone.addEventListener('dragenter', (e) => this.onDragOver(e), { signal });
        this.zone.addEventListener('dragover', (e) => this.onDragOver(e), { signal });
        this.zone.addEventListener('dragleave', (e) => {
            if (!this.zone.contains(/** @type {Node | null} */ (e.relatedTarget))) {
                this.showOverlay(false);
            }
        }, { signal });
        this.zone.addEventListener('drop', (e) => this.onDrop(e), { signal });
        window.addEventListener('dragend', () => this.showOverlay(false), { signal });

        const button = this.root.querySelector('[data-testid=import-button]');
        const input = /** @type {HTMLInputElement | null} */ (this.root.querySelector('[data-testid=import-input]'));
        if (button && input) {
            button.addEventListener('click', () => input.click(), { signal });
            input.addEventListener('change', () => {
                this.add([...(input.files ?? [])]);
                input.value = ''; // the same file can be picked again
            }, { signal });
        }
    }

    /** @param {DragEvent} e */
    onDragOver(e) {
        if (!hasFiles(e)) {
            return;
        }
        e.preventDefault(); // the drop comes to the map, not to the browser
        /** @type {DataTransfer} */ (e.dataTransfer).dropEffect = 'copy';
        this.showOverlay(true);
    }

    /** @param {DragEvent} e */
    onDrop(e) {
        if (!hasFiles(e)) {
            return;
        }
        e.preventDefault();
        this.showOverlay(false);
        this.add([...(e.dataTransfer?.files ?? [])]);
    }

    /** @param {boolean} shown */
    showOverlay(shown) {
        if (this.overlay) {
            this.overlay.hidden = !shown;
        }
    }

    /** Queues files for upload, one after another; a new batch clears the last one's results. @param {File[]} files */
    add(files) {
        if (files.length === 0) {
            return;
        }
        if (this.readOnly) {
            this.root.hidden = false;
            this.status.replaceChildren(element('p', { className: 'import-note', textContent: READ_ONLY_TEXT }, { testid: 'import-readonly' }));
            return;
        }
        if (!this.busy) {
            this.status.replaceChildren();
            this.added = [];
        }
        this.queue.push(...files);
        void this.drain();
    }

    async drain() {
        if (this.busy) {
            return;
        }
        this.busy = true;
        try {
            for (let file = this.queue.shift(); file; file = this.queue.shift()) {
                await this.importFile(file);
            }
        } finally {
            this.busy = false;
        }
    }

    /** Uploads one file, showing its progress, then what was added (and the map moves there) or why not. @param {File} file */
    async importFile(file) {
        const item = this.statusItem(file.name);
        const progress = /** @type {HTMLProgressElement} */ (element('progress', { max: 100, value: 0, ariaLabel: `Uploading ${file.name}` }, { testid: 'import-progress' }));
        const percent = element('span', { className: 'import-percent', ariaHidden: 'true', textContent: '0%' });
        const phase = element('span', { className: 'import-phase' }, {}, progress, percent);
        item.append(phase);

        const outcome = await this.upload(file, {
            onProgress: (sent, total) => {
                if (total) {
                    const value = Math.min(100, Math.floor(sent * 100 / total));
                    progress.value = value;
                    percent.textContent = `${value}%`;
                } else {
                    progress.removeAttribute('value'); // indeterminate
                }
            },
            onSent: () => phase.replaceChildren('Converting…'),
        });
        phase.remove();
        if (outcome.ok) {
            item.append(...resultNodes(outcome.result));
            this.added.push(...outcome.result.layers.map((layer) => layer.bbox ?? []));
            this.fit(this.added);
        } else {
            item.classList.add('failed');
            item.append(failureNode(outcome.failure));
        }
    }

    /** A file's line in the status area (the oldest go once there are many). @param {string} name */
    statusItem(name) {
        const item = element('div', { className: 'import-item' }, { testid: 'import-item', fileName: name },
            element('span', { className: 'import-name', textContent: name, title: name }));
        this.status.append(item);
        while (this.status.children.length > ITEMS_KEPT) {
            this.status.firstElementChild?.remove();
        }
        return item;
    }

    /** POSTs the file's bytes with XMLHttpRequest, whose upload events report progress. @param {File} file @param {UploadHandlers} handlers */
    upload(file, handlers) {
        return /** @type {Promise<UploadOutcome>} */ (new Promise((resolve) => {
            const xhr = new XMLHttpRequest();
            this.current = xhr;
            xhr.open('POST', importUrl(this.origin, this.session, file.name));
            xhr.setRequestHeader('Content-Type', 'application/octet-stream');
            xhr.upload.addEventListener('progress', (e) => handlers.onProgress(e.loaded, e.lengthComputable ? e.total : null));
            xhr.upload.addEventListener('load', () => handlers.onSent());
            xhr.addEventListener('load', () => resolve(outcomeOf(xhr.status, xhr.responseText)));
            xhr.addEventListener('error', () => resolve({ ok: false, failure: NETWORK_FAILURE }));
            xhr.addEventListener('abort', () => resolve({ ok: false, failure: { error: 'The upload was cancelled.' } }));
            xhr.addEventListener('loadend', () => {
                this.current = null;
            });
            xhr.send(file);
        }));
    }

    /** Moves this person's map to the boxes added (west > east crosses the antimeridian). @param {number[][]} boxes */
    fit(boxes) {
        const box = unionOf(boxes);
        if (!box) {
            return;
        }
        const container = this.map.getContainer();
        const padding = Math.min(FIT_PADDING, Math.floor(Math.min(container.clientWidth, container.clientHeight) / 3));
        this.map.fitBounds([[box[0], box[1]], [box[2], box[3]]], { padding, maxZoom: FIT_MAX_ZOOM, duration: FIT_MS });
    }

    dispose() {
        this.listening.abort();
        this.queue = [];
        this.current?.abort();
        this.overlay?.remove();
    }
}

/** The server's answer: the import's result, or its error and hint (or what the status says, for an answer without them). @param {number} status @param {string} text */
export function outcomeOf(status, text) {
    /** @type {any} */
    let body = null;
    try {
        body = JSON.parse(text);
    } catch {
        // not JSON: a proxy's page, or nothing
    }
    if (status >= 200 && status < 300) {
        return Array.isArray(body?.layers)
            ? /** @type {UploadOutcome} */ ({ ok: true, result: body })
            : /** @type {UploadOutcome} */ ({ ok: false, failure: { error: 'The server answered, but not with the layers it added.', hint: 'Reload the page to see the map.' } });
    }
    const failure = typeof body?.error === 'string'
        ? { error: body.error, hint: typeof body.hint === 'string' ? body.hint : '' }
        : FAILURE_BY_STATUS[status] ?? { error: `The file could not be added (HTTP ${status}).`, hint: 'Try again in a moment.' };
    return /** @type {UploadOutcome} */ ({ ok: false, failure });
}

/** The smallest box holding all valid [w, s, e, n] boxes, east unwrapped past 180 across the antimeridian; null if none. @param {number[][]} boxes */
export function unionOf(boxes) {
    const valid = boxes.filter((b) => Array.isArray(b) && b.length === 4 && b.every(Number.isFinite));
    if (valid.length === 0) {
        return null;
    }
    let [west, south, east, north] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const [w, s, e, n] of valid) {
        west = Math.min(west, w);
        south = Math.min(south, s);
        east = Math.max(east, e < w ? e + 360 : e);
        north = Math.max(north, n);
    }
    if (east - west >= 360) {
        [west, east] = [-180, 180];
    }
    return [west, Math.max(south, -85), east, Math.min(north, 85)];
}

/** @param {ImportResult} result */
function resultNodes(result) {
    const lines = result.layers.map((layer) => element('span', { className: 'import-added', textContent: addedText(layer) }, { testid: 'import-result' }));
    if (lines.length === 0) {
        lines.push(element('span', { className: 'import-added', textContent: result.summary || 'Nothing was added.' }, { testid: 'import-result' }));
    }
    const warnings = result.warnings ?? [];
    if (warnings.length === 0) {
        return lines;
    }
    const list = element('ul', { className: 'import-warnings' }, { testid: 'import-warnings' },
        ...warnings.map((warning) => element('li', { textContent: warning })));
    return [...lines, list];
}

/** @param {ImportedLayer} layer */
function addedText(layer) {
    const count = layer.features ?? 0;
    return `Added layer '${layer.title || layer.layerId}' (${count} ${count === 1 ? 'feature' : 'features'})`;
}

/** @param {ImportFailure} failure */
function failureNode(failure) {
    const node = element('div', { className: 'import-error' }, { testid: 'import-error' }, element('strong', { textContent: failure.error }));
    node.setAttribute('role', 'alert');
    if (failure.hint) {
        node.append(' ', element('span', { className: 'import-hint', textContent: failure.hint }));
    }
    return node;
}

/** What the map shows while a file is dragged over it. */
function dropOverlay() {
    return element('div', { className: 'drop-overlay', hidden: true, ariaHidden: 'true' }, { testid: 'drop-overlay' },
        element('p', {}, {},
            element('strong', { textContent: 'Drop to add it to the map' }),
            element('span', { textContent: FORMATS })));
}

/** Whether a drag carries files (not text or a link dragged from the page). @param {DragEvent} e */
function hasFiles(e) {
    return [...(e.dataTransfer?.types ?? [])].includes('Files');
}

/**
 * @param {string} tag
 * @param {Record<string, unknown>} properties
 * @param {Record<string, string>} data its data- attributes
 * @param {(Node | string)[]} children
 */
function element(tag, properties, data, ...children) {
    const node = Object.assign(document.createElement(tag), properties);
    Object.assign(node.dataset, data);
    node.append(...children);
    return node;
}
