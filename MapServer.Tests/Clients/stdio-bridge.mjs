// @ts-check
// Claude Desktop's path to a remote server: mcp-remote as a stdio bridge to the api's /mcp, driven by a stdio client
// (the official SDK's StdioClientTransport, as a desktop host speaks): initialize, tools/list, create_map_session, add_layer.
// Usage: node stdio-bridge.mjs http://127.0.0.1:PORT/mcp   (prints one JSON report; exit 1 on any failure)
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const url = process.argv[2] ?? 'http://127.0.0.1:5081/mcp';
const bridge = fileURLToPath(new URL('./node_modules/mcp-remote/dist/proxy.js', import.meta.url));
/** @type {string[]} */
const failures = [];
const transport = new StdioClientTransport({
    command: process.execPath,
    // --allow-http: a loopback api without TLS; http-only: Streamable HTTP, as this server speaks.
    args: [bridge, url, '--transport', 'http-only', '--allow-http'],
    env: { ...process.env, MCP_REMOTE_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'mcp-remote-')) },
    stderr: 'pipe',
});
let bridgeLog = '';
transport.stderr?.on('data', chunk => { bridgeLog += chunk; });
const client = new Client({ name: 'claude-desktop-like-host', version: '1.0.0' });
await client.connect(transport);
const server = client.getServerVersion();
const { tools } = await client.listTools();
if (!tools.some(t => t.name === 'add_layer')) failures.push(`tools/list through the bridge has no add_layer (${tools.length} tools)`);
const created = /** @type {any} */ (await client.callTool({ name: 'create_map_session', arguments: {} }));
const session = created.structuredContent?.session_id;
if (typeof session !== 'string' || !created.structuredContent?.viewer_url) failures.push(`create_map_session: ${JSON.stringify(created).slice(0, 300)}`);
const added = /** @type {any} */ (await client.callTool({
    name: 'add_layer',
    arguments: { session_id: session, layer_id: 'points', source: { type: 'geojson', data: { type: 'Point', coordinates: [2.35, 48.85] } } },
}));
if (added.isError || added.structuredContent?.version !== 1) failures.push(`add_layer: ${JSON.stringify(added).slice(0, 300)}`);
await client.close();
console.log(JSON.stringify({ server, tools: tools.length, session, failures, bridgeLog: failures.length ? bridgeLog.slice(-2000) : undefined }, null, 1));
process.exit(failures.length === 0 ? 0 : 1);
