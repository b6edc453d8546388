// @ts-check
// Where a session's endpoints are, on the viewer's origin (which forwards them to the api): the one place the page
// spells them. A session is its id or a view or import link's token; each part is URL-encoded.

/** The session's live stream of changes (Server-Sent Events). @param {string} origin @param {string} session */
export function eventsUrl(origin, session) {
    return `${origin}/events?session=${encodeURIComponent(session)}`;
}

/** Where a dropped or picked file is uploaded (the raw bytes as the body). @param {string} origin @param {string} session @param {string} fileName */
export function importUrl(origin, session, fileName) {
    return `${origin}/sessions/${encodeURIComponent(session)}/imports?name=${encodeURIComponent(fileName)}`;
}

/** Where what this person looks at is reported. @param {string} origin @param {string} session */
export function viewportUrl(origin, session) {
    return `${origin}/sessions/${encodeURIComponent(session)}/viewport`;
}

/**
 * Where a layer's stored data downloads as a file.
 * @param {string} origin @param {string} session @param {string} layerId @param {import('./side-panel.js').ExportFormat} format
 */
export function layerExportUrl(origin, session, layerId, format) {
    return `${origin}/sessions/${encodeURIComponent(session)}/layers/${encodeURIComponent(layerId)}/export?format=${format}`;
}
