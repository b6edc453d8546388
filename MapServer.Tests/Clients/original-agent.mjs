// @ts-check
// An agent written for the original mcp-map-server: its tool names and argument shapes (add_layer's id, type and visible;
// toggle_layer's id and action; remove_layer's and reset_layer_style's id; get_map_config), on a session a person opened in
// the viewer, while an SSE client watches /events as the original's viewer did. A typo stays refused.
// Usage: node original-agent.mjs http://127.0.0.1:PORT   (prints one JSON report; exit 1 on any failure)
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const base = process.argv[2] ?? 'http://127.0.0.1:5081';
/** @type {string[]} */
const failures = [];
const check = (/** @type {boolean} */ ok, /** @type {string} */ what) => { if (!ok) failures.push(what); };

// The person opens the viewer, which creates the session; the agent is told "Use map session <id>".
const session = (await (await fetch(`${base}/sessions`, { method: 'POST' })).json()).sessionId;

// The viewer's stream: a snapshot, then one change per version.
const stream = await fetch(`${base}/events?session=${session}`, { headers: { Accept: 'text/event-stream' } });
/** @type {number[]} */
const versions = [];
const watching = (async () => {
    const reader = /** @type {ReadableStream<Uint8Array>} */ (stream.body).getReader();
    const decoder = new TextDecoder();
    let buffered = '';
    for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffered += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffered.indexOf('\n\n')) >= 0) {
            const event = buffered.slice(0, end);
            buffered = buffered.slice(end + 2);
            const data = event.split('\n').filter(l => l.startsWith('data:')).map(l => l.slice(5)).join('\n');
            if (data) versions.push(JSON.parse(data).version);
        }
    }
})();

const client = new Client({ name: 'original-mcp-map-server-agent', version: '0.1.1' });
await client.connect(new StreamableHTTPClientTransport(new URL(`${base}/mcp`)));
await client.listTools();
const call = async (/** @type {string} */ name, /** @type {Record<string, unknown>} */ args) =>
    /** @type {any} */ (await client.callTool({ name, arguments: { session_id: session, ...args } }));
const text = (/** @type {any} */ result) => (result.content ?? []).map((/** @type {any} */ c) => c.text ?? '').join('\n');
const succeeds = async (/** @type {string} */ name, /** @type {Record<string, unknown>} */ args) => {
    const result = await call(name, args);
    check(result.isError !== true, `${name} ${JSON.stringify(args).slice(0, 120)} failed: ${text(result).slice(0, 300)}`);
    return result;
};

// The original's own example, as its examples.md writes it.
await succeeds('add_layer', {
    id: 'wdpa',
    type: 'vector',
    source: { type: 'vector', tiles: ['https://demotiles.maplibre.org/tiles/{z}/{x}/{y}.pbf'], minzoom: 0, maxzoom: 5 },
    layers: [{ id: 'wdpa-fill', type: 'fill', source: 'wdpa', 'source-layer': 'countries', paint: { 'fill-color': '#4CAF50', 'fill-opacity': 0.5 } }],
});
await succeeds('add_layer', { id: 'osm', type: 'raster', source: { type: 'raster', tiles: ['https://tile.openstreetmap.org/{z}/{x}/{y}.png'], tileSize: 256 }, visible: false });
await succeeds('filter_layer', { layer_id: 'wdpa', filter: ['==', 'ISO3', 'IND'] });
await succeeds('set_layer_paint', { layer_id: 'wdpa', property: 'fill-color', value: ['match', ['get', 'IUCN_CAT'], 'Ia', '#d62728', 'II', '#2ca02c', '#999999'] });
await succeeds('set_map_view', { center: [78.9629, 20.5937], zoom: 5 });
const listed = await succeeds('list_layers', {});
check(JSON.stringify(listed.structuredContent?.layers?.map((/** @type {any} */ l) => l.layer_id)) === '["wdpa","osm"]', `list_layers: ${text(listed).slice(0, 200)}`);
await succeeds('toggle_layer', { id: 'osm', action: 'show' });
await succeeds('reset_layer_style', { id: 'wdpa' });
const config = await succeeds('get_map_config', {});
check(config.structuredContent?.layers?.osm?.visible === true, `get_map_config: osm should be visible: ${text(config).slice(0, 200)}`);
check(JSON.stringify(config.structuredContent?.center) === '[78.9629,20.5937]', 'get_map_config: the view set by set_map_view');
const state = await succeeds('get_map_state', {});
await succeeds('remove_layer', { id: 'osm' });

// What stays refused: a typo, a type that contradicts the source, both names at once.
for (const [args, expected] of /** @type {[Record<string, unknown>, string][]} */ ([
    [{ idd: 'x', source: { type: 'raster', tiles: ['https://a.example/{z}/{x}/{y}.png'] } }, "has no argument 'idd'"],
    [{ id: 'x', type: 'raster', source: { type: 'vector', tiles: ['https://a.example/{z}/{x}/{y}.pbf'] } }, 'must agree'],
    [{ id: 'x', layer_id: 'y', source: { type: 'raster', tiles: ['https://a.example/{z}/{x}/{y}.png'] } }, 'give one'],
    [{ id: 'x', type: 'geojson', source: { type: 'raster', tiles: ['https://a.example/{z}/{x}/{y}.png'] } }, "'raster' or 'vector'"],
])) {
    const refused = await call('add_layer', args);
    check(refused.isError === true && text(refused).includes(expected), `add_layer ${JSON.stringify(args).slice(0, 80)} should be refused with "${expected}": ${text(refused).slice(0, 300)}`);
}

// Every version reached the viewer, in order, without a gap.
const final = state.structuredContent.version + 1;
for (let i = 0; i < 50 && versions.at(-1) !== final; i++) await new Promise(r => setTimeout(r, 100));
const gaps = versions.slice(1).filter((v, i) => v !== versions[i] + 1);
check(versions.at(-1) === final && gaps.length === 0, `the viewer saw versions ${versions.join(',')}, expected 0..${final} in order`);

await client.close();
stream.body?.cancel().catch(() => { });
await Promise.race([watching.catch(() => { }), new Promise(r => setTimeout(r, 500))]);
console.log(JSON.stringify({ session, versions, failures }, null, 1));
process.exit(failures.length === 0 ? 0 : 1);
