// @ts-check
import { legendOf, cssColor } from './legend.js';
import { orderedLayerIds, DEFAULT_ANNOTATION_COLOR } from './map-style.js';

/**
 * @typedef {import('./map-style.js').MapState} MapState
 * @typedef {import('./map-stream.js').StreamStatus} StreamStatus
 * @typedef {'geojson' | 'csv'} ExportFormat
 * @typedef {{ onToggleLayer: (layerId: string, shown: boolean) => void, onFocusMarker: (markerId: string) => void,
 *             exportUrl?: (layerId: string, format: ExportFormat) => string }} PanelHandlers
 */

const STATUS_TEXT = { connected: 'Live', reconnecting: 'Reconnecting…', connecting: 'Connecting…' };
/** Data the server stores for the session (an uploaded or imported layer's GeoJSON), relative or absolute. */
const STORED_DATA = /^(?:https?:\/\/[^/?#]+)?\/sessions\/[^/?#]+\/data\/[0-9a-f]{64}(?:[?#].*)?$/i;
/** @type {[ExportFormat, string][]} */
const EXPORT_FORMATS = [['geojson', 'GeoJSON'], ['csv', 'CSV']];

/**
 * The side panel beside the map: connection status and version, the sentence for the agent with a copy button, the
 * layers (with this person's show/hide toggles, each layer's legend and, for data the server stores, download links)
 * and the markers. The page renders its frame;
 * this fills it from the state the map draws.
 */
export class SidePanel {
    /** @param {HTMLElement} root @param {PanelHandlers} handlers */
    constructor(root, handlers) {
        this.root = root;
        this.handlers = handlers;
        this.status = /** @type {HTMLElement} */ (root.querySelector('[data-testid=status]'));
        this.layers = /** @type {HTMLElement} */ (root.querySelector('[data-panel=layers]'));
        this.markers = /** @type {HTMLElement} */ (root.querySelector('[data-panel=markers]'));
        /** A line under the status for what this screen shows instead (the offline basemap); hidden while there is none. */
        this.notice = element('p', { className: 'notice', hidden: true });
        this.notice.setAttribute('role', 'status');
        this.notice.dataset.testid = 'basemap-notice';
        (this.status.closest('.session-row') ?? this.status).after(this.notice); // under the title and status, not beside them
        this.rendered = { layers: '', markers: '' };

        const copy = /** @type {HTMLButtonElement | null} */ (root.querySelector('button.copy'));
        const sentence = root.querySelector('[data-testid=agent-sentence]')?.textContent ?? '';
        copy?.addEventListener('click', async () => {
            try {
                await navigator.clipboard.writeText(sentence);
                copy.textContent = 'Copied';
            } catch {
                copy.textContent = 'Copy'; // no clipboard (e.g. plain http off localhost): the sentence stays selectable
            }
        });
    }

    /** @param {StreamStatus} status @param {number} version */
    showStatus(status, version) {
        this.status.className = `status ${status}`;
        this.status.replaceChildren(
            element('span', { className: 'dot', ariaHidden: 'true' }),
            `${STATUS_TEXT[status]} `,
            element('span', { className: 'version', textContent: `· v${version}` }));
    }

    /** Says once what the map shows instead of what it was asked for; null clears it. @param {string | null} text */
    showNotice(text) {
        this.notice.textContent = text ?? '';
        this.notice.hidden = text === null;
    }

    /** @param {MapState} state @param {Set<string>} hiddenHere */
    show(state, hiddenHere) {
        this.showLayers(state, hiddenHere);
        this.showMarkers(state);
    }

    /** @param {MapState} state @param {Set<string>} hiddenHere */
    showLayers(state, hiddenHere) {
        const entries = orderedLayerIds(state).reverse().map((id) => {
            const layer = /** @type {Record<string, import('./map-style.js').MapLayer>} */ (state.layers)[id];
            const visible = layer.visible !== false;
            const exportable = Boolean(this.handlers.exportUrl) && isStoredData(layer);
            return { id, title: layer.title || id, visible, shown: visible && !hiddenHere.has(id), exportable, legend: legendOf(layer) };
        });
        const signature = JSON.stringify(entries);
        if (signature === this.rendered.layers) {
            return;
        }
        this.rendered.layers = signature;
        setCount(this.layers, entries.length);
        if (entries.length === 0) {
            this.layers.replaceChildren(element('p', { className: 'empty', textContent: 'No layers yet. Layers your agent adds appear here.' }));
            return;
        }

        const focused = document.activeElement?.id;
        const list = element('ul', { className: 'layers' });
        for (const entry of entries) {
            const checkbox = /** @type {HTMLInputElement} */ (element('input', { type: 'checkbox', id: `layer-${entry.id}`, checked: entry.shown, disabled: !entry.visible }));
            checkbox.addEventListener('change', () => this.handlers.onToggleLayer(entry.id, checkbox.checked));
            const label = element('label', { htmlFor: checkbox.id },
                swatch(entry.legend.swatch),
                element('span', { className: 'title', textContent: entry.title }));
            if (!entry.visible) {
                label.append(element('span', { className: 'note', textContent: 'hidden by agent' }));
            }
            const item = element('li', { className: entry.shown ? '' : 'off' }, checkbox, label);
            item.dataset.layerId = entry.id;
            if (entry.exportable && this.handlers.exportUrl) {
                item.append(exportLinks(entry.id, entry.title, this.handlers.exportUrl));
            }
            if (entry.legend.classes.length > 0) {
                item.append(legendList(entry.id, entry.legend));
            }
            list.append(item);
        }
        this.layers.replaceChildren(list);
        if (focused) {
            document.getElementById(focused)?.focus(); // a toggle keeps the keyboard focus across the re-render
        }
    }

    /** @param {MapState} state */
    showMarkers(state) {
        const entries = Object.entries(state.annotations ?? {})
            .filter(([, a]) => a.kind === 'marker' && Array.isArray(a.geometry?.coordinates))
            .map(([id, a]) => ({ id, title: a.label || id, color: a.color ?? DEFAULT_ANNOTATION_COLOR, lon: a.geometry.coordinates[0], lat: a.geometry.coordinates[1] }));
        const signature = JSON.stringify(entries);
        if (signature === this.rendered.markers) {
            return;
        }
        this.rendered.markers = signature;
        setCount(this.markers, entries.length);
        if (entries.length === 0) {
            this.markers.replaceChildren(element('p', { className: 'empty', textContent: 'No markers yet.' }));
            return;
        }

        const list = element('ul', { className: 'markers' });
        for (const entry of entries) {
            const button = element('button', { type: 'button', className: 'marker', ariaLabel: `Show marker ${entry.title} on the map` },
                swatch(entry.color, 'round'),
                element('span', { className: 'title', textContent: entry.title }),
                element('span', { className: 'coords', textContent: `${coordinate(entry.lat)}, ${coordinate(entry.lon)}` }));
            button.dataset.markerId = entry.id;
            button.addEventListener('click', () => this.handlers.onFocusMarker(entry.id));
            list.append(element('li', {}, button));
        }
        this.markers.replaceChildren(list);
    }
}

/** Whether a layer draws GeoJSON the server stores for the session, which it can export. @param {import('./map-style.js').MapLayer} layer */
function isStoredData(layer) {
    return layer.source?.type === 'geojson' && typeof layer.source.data === 'string' && STORED_DATA.test(layer.source.data);
}

/**
 * A layer's download links (the server names the file).
 * @param {string} layerId @param {string} title @param {(layerId: string, format: ExportFormat) => string} url
 */
function exportLinks(layerId, title, url) {
    const links = element('span', { className: 'exports' });
    for (const [format, label] of EXPORT_FORMATS) {
        const link = element('a', { href: url(layerId, format), download: '', textContent: label, ariaLabel: `Download ${title} as ${label}` });
        link.dataset.format = format;
        link.dataset.testid = `export-${format}-${layerId}`;
        links.append(link);
    }
    return links;
}

/** @param {string} layerId @param {import('./legend.js').Legend} legend */
function legendList(layerId, legend) {
    const list = element('ul', { className: 'legend', ariaLabel: legend.property ? `Colours by ${legend.property}` : 'Colours' });
    list.dataset.testid = `legend-${layerId}`;
    if (legend.property) {
        list.append(element('li', { className: 'legend-property', textContent: legend.property }));
    }
    for (const entry of legend.classes) {
        list.append(element('li', {}, swatch(entry.color), element('span', { className: 'legend-label', textContent: entry.label })));
    }
    return list;
}

/** @param {string} color @param {string} [shape] */
function swatch(color, shape) {
    const span = element('span', { className: shape ? `swatch ${shape}` : 'swatch', ariaHidden: 'true' });
    span.style.background = cssColor(color);
    return span;
}

/** @param {HTMLElement} section @param {number} count */
function setCount(section, count) {
    const counter = section.closest('section')?.querySelector('.count');
    if (counter) {
        counter.textContent = String(count);
    }
}

/** @param {number} value */
function coordinate(value) {
    return Number(value.toFixed(3)).toString();
}

/**
 * @param {string} tag
 * @param {Record<string, unknown>} properties
 * @param {(Node | string)[]} children
 */
function element(tag, properties, ...children) {
    const node = Object.assign(document.createElement(tag), properties);
    node.append(...children);
    return node;
}
