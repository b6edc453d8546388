// @ts-check
// The official TypeScript SDK client against the api: every tool of tools/list with valid arguments, then with bad ones.
// The SDK checks each answer's structuredContent against the tool's outputSchema and throws on a mismatch; this script
// also fails on a protocol error where a tool error belongs, on an error without a reason, and on a tool it never ran.
// Usage: node sdk-client.mjs http://127.0.0.1:PORT/mcp   (prints one JSON report; exit 1 on any failure)
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const url = new URL(process.argv[2] ?? 'http://127.0.0.1:5081/mcp');
const client = new Client({ name: 'mapserver-sdk-client-test', version: '1.0.0' });
await client.connect(new StreamableHTTPClientTransport(url));
const { tools } = await client.listTools();

const points = {
    type: 'FeatureCollection',
    features: [
        { type: 'Feature', geometry: { type: 'Point', coordinates: [2.35, 48.85] }, properties: { name: 'Paris', population: 2100000, capital: true } },
        { type: 'Feature', geometry: { type: 'Point', coordinates: [4.83, 45.76] }, properties: { name: 'Lyon', population: 520000, capital: false } },
        { type: 'Feature', geometry: { type: 'Point', coordinates: [5.37, 43.3] }, properties: { name: 'Marseille', population: 870000, capital: null } },
    ],
};
const csv = Buffer.from('name,lat,lon\nNantes,47.22,-1.55\nLille,50.63,3.06\n').toString('base64');

/** Valid calls, in an order that works on one fresh session; "$session" is replaced by its id. @type {[string, Record<string, unknown>][]} */
const valid = [
    ['create_map_session', {}],
    ['get_map_state', { session_id: '$session' }],
    ['set_map_view', { session_id: '$session', center: [2.35, 48.85], zoom: 5 }],
    ['fit_bounds', { session_id: '$session', bbox: [-5, 41, 10, 51] }],
    ['set_basemap', { session_id: '$session', basemap: 'blank' }],
    ['add_layer', { session_id: '$session', layer_id: 'cities', source: { type: 'geojson', data: points }, title: 'Cities' }],
    ['add_layer', { session_id: '$session', layer_id: 'tiles', source: { type: 'raster', tiles: ['https://tile.openstreetmap.org/{z}/{x}/{y}.png'], tileSize: 256 } }],
    ['list_layers', { session_id: '$session' }],
    ['describe_layer', { session_id: '$session', layer_id: 'cities' }],
    ['style_layer_by_property', { session_id: '$session', layer_id: 'cities', property: 'population', classes: 2 }],
    ['filter_layer', { session_id: '$session', layer_id: 'cities', filter: ['>', ['get', 'population'], 600000] }],
    ['filter_layer', { session_id: '$session', layer_id: 'cities', filter: null }],
    ['set_layer_paint', { session_id: '$session', layer_id: 'cities', property: 'circle-radius', value: 8 }],
    ['set_layer_layout', { session_id: '$session', layer_id: 'cities', property: 'visibility', value: 'visible' }],
    ['set_layer_opacity', { session_id: '$session', layer_id: 'cities', opacity: 0.8 }],
    ['reset_layer_style', { session_id: '$session', layer_id: 'cities' }],
    ['set_layer_order', { session_id: '$session', layer_id: 'tiles', position: 'bottom' }],
    ['toggle_layer', { session_id: '$session', layer_id: 'tiles', visibility: 'hide' }],
    ['add_marker', { session_id: '$session', marker_id: 'eiffel', longitude: 2.2945, latitude: 48.8584, label: 'Tour Eiffel', popup: '**1889**' }],
    ['add_line', { session_id: '$session', line_id: 'route', coordinates: [[2.35, 48.85], [4.83, 45.76]], label: 'A6' }],
    ['add_polygon', { session_id: '$session', polygon_id: 'zone', coordinates: [[2, 48], [3, 48], [3, 49]] }],
    ['add_circle', { session_id: '$session', circle_id: 'ring', longitude: 2.35, latitude: 48.85, radius_meters: 5000 }],
    ['remove_annotation', { session_id: '$session', annotation_id: 'zone' }],
    ['get_history', { session_id: '$session', limit: 5 }],
    ['undo', { session_id: '$session' }],
    ['redo', { session_id: '$session' }],
    ['export_map', { session_id: '$session' }],
    ['import_map', { session_id: '$session', '$export': true }], // export_map's answer as it is, plus the session
    ['import_file', { session_id: '$session', file_name: 'towns.csv', content_base64: csv }],
    ['get_import_link', { session_id: '$session' }],
    ['geocode', { query: 'Lyon, FR' }],
    ['reverse_geocode', { longitude: 2.35, latitude: 48.85 }],
    ['report_viewport', { session_id: '$session', bounds: [2, 48, 3, 49], zoom: 9, center: [2.5, 48.5] }],
    ['get_viewport', { session_id: '$session' }],
    ['get_map_config', { session_id: '$session' }],
    ['show_map', { session_id: '$session' }],
    ['get_map_image', { session_id: '$session', width: 320, height: 240 }], // a tool error where no renderer runs: still an answer
    ['remove_layer', { session_id: '$session', layer_id: 'tiles' }],
    ['clear_map', { session_id: '$session' }],
];

/** Bad calls: each must come back as a tool error (isError) with a reason, never a protocol error or a crash. @type {[string, Record<string, unknown>][]} */
const bad = [
    ...tools.filter(t => t.name !== 'create_map_session').map(t => /** @type {[string, Record<string, unknown>]} */ ([t.name, {}])),
    ...tools.filter(t => t.inputSchema.properties?.session_id).map(t => /** @type {[string, Record<string, unknown>]} */ ([t.name, { session_id: 'AAAAAAAAAAAAAAAAAAAAAA' }])),
    ['create_map_session', { no_such_argument: 1 }],
    ['set_map_view', { session_id: '$session', zoom: 'far' }],
    ['set_map_view', { session_id: '$session', center: [500, 100] }],
    ['add_layer', { session_id: '$session', layer_id: 'x', source: { type: 'nope' } }],
    ['add_layer', { session_id: '$session', layer_id: 'y', source: { type: 'raster', tiles: ['javascript:alert(1)'] } }],
    ['add_marker', { session_id: '$session', marker_id: 'm', longitude: 1, latitude: 2, if_version: 0 }],
    ['filter_layer', { session_id: '$session', layer_id: 'missing', filter: ['==', 'a', 1] }],
    ['import_map', { session_id: '$session', style: { version: 7 } }],
    ['import_file', { session_id: '$session', file_name: 'x.csv', content_base64: '!!!' }],
    ['geocode', { query: '' }],
];

/** @type {{ tool: string, kind: string, ok: boolean, detail: string }[]} */
const calls = [];
let session = '';
/** @type {Record<string, unknown>} */
let exported = {};
const withSession = (/** @type {Record<string, unknown>} */ args) => {
    const { $export, ...rest } = JSON.parse(JSON.stringify(args).replaceAll('$session', session));
    return $export ? { ...exported, ...rest } : rest;
};
const textOf = (/** @type {any} */ result) => (result.content ?? []).filter((/** @type {any} */ c) => c.type === 'text').map((/** @type {any} */ c) => c.text).join('\n');

for (const [name, args] of valid) {
    try {
        const result = /** @type {any} */ (await client.callTool({ name, arguments: withSession(args) }));
        if (name === 'create_map_session') {
            session = result.structuredContent?.session_id ?? '';
        }
        if (name === 'export_map') {
            exported = result.structuredContent ?? {};
        }
        const expectedError = name === 'get_map_image' && result.isError === true && /renderer/i.test(textOf(result));
        calls.push({ tool: name, kind: 'valid', ok: result.isError !== true || expectedError, detail: textOf(result).slice(0, 300) });
    } catch (error) {
        calls.push({ tool: name, kind: 'valid', ok: false, detail: String(error) });
    }
}

for (const [name, args] of bad) {
    try {
        const result = /** @type {any} */ (await client.callTool({ name, arguments: withSession(args) }));
        const text = textOf(result);
        const ok = result.isError === true && text.length > 20 && !text.includes('An error occurred invoking');
        calls.push({ tool: name, kind: 'bad', ok, detail: text.slice(0, 300) });
    } catch (error) {
        calls.push({ tool: name, kind: 'bad', ok: false, detail: String(error) });
    }
}

const ran = new Set(calls.filter(c => c.kind === 'valid').map(c => c.tool));
const notRun = tools.map(t => t.name).filter(name => !ran.has(name));
const failures = calls.filter(c => !c.ok);
console.log(JSON.stringify({ tools: tools.length, calls: calls.length, notRun, failures }, null, 1));
await client.close();
process.exit(failures.length === 0 && notRun.length === 0 ? 0 : 1);
