// The one renderer (map-style.js): a map state to the MapLibre style that draws it, in the viewer and in exports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderStyle, annotationFeatures } from '../wwwroot/js/map-style.js';

test('renderer bakes in overrides, opacity, visibility and order, with the basemap under and annotations over', () => {
    const style = renderStyle({
        version: 3, basemap: 'topo', layerOrder: ['roads', 'parks'],
        layers: {
            parks: { source: { type: 'geojson', data: '/d/parks' }, layers: [{ id: 'parks-fill', type: 'fill', paint: { 'fill-opacity': 0.5 } }], opacity: 0.5, paint: { 'parks-fill': { 'fill-color': '#16a34a' } } },
            roads: { source: { type: 'geojson', data: '/d/roads' }, layers: [{ id: 'roads-line', type: 'line', filter: ['==', 1, 1] }], visible: false, filters: { 'roads-line': ['==', ['get', 'kind'], 'major'] } },
        },
        annotations: {},
    }, { origin: 'https://maps.example/', hiddenLayers: ['parks'] });
    const ids = style.layers.map((l) => l.id);
    assert.ok(ids.indexOf('basemap-raster') < ids.indexOf('roads-line'), 'online tiles under the data');
    assert.ok(ids.indexOf('roads-line') < ids.indexOf('parks-fill'), "the state's order, bottom to top");
    assert.ok(ids.indexOf('parks-fill') < ids.indexOf('mapserver-annotation-marker'), 'annotations on top');
    const parks = style.layers.find((l) => l.id === 'parks-fill');
    assert.ok(Math.abs(parks.paint['fill-opacity'] - 0.25) < 1e-6);
    assert.equal(parks.paint['fill-color'], '#16a34a');
    assert.equal(parks.layout.visibility, 'none'); // hidden by this person
    const roads = style.layers.find((l) => l.id === 'roads-line');
    assert.equal(roads.layout.visibility, 'none'); // hidden by the agent
    assert.deepEqual(roads.filter, ['==', ['get', 'kind'], 'major']);
    assert.equal(style.glyphs, 'https://maps.example/glyphs/{fontstack}/{range}.pbf');
    assert.equal(style.metadata['mapserver:basemap'], 'topo');
});

test('renderer leaves the online tiles out where they cannot load, and the offline basemap stays', () => {
    const style = renderStyle({ version: 1, basemap: 'streets' }, { origin: 'https://maps.example', onlineBasemap: false });
    const ids = style.layers.map((l) => l.id);
    assert.ok(!ids.includes('basemap-raster'));
    assert.ok(ids.includes('basemap-land'));
    assert.equal(style.sources['basemap-raster'], undefined);
});

test('renderer draws circles as their radius on the ground and keeps labels and popups', () => {
    const { features } = annotationFeatures({ version: 1, annotations: {
        c: { kind: 'circle', geometry: { type: 'Point', coordinates: [0, 60] }, radiusMeters: 5000, label: 'Five km' },
        p: { kind: 'marker', geometry: { type: 'Point', coordinates: [2.35, 48.85] }, popup: '**hi**' },
    } });
    const ring = features[0].geometry.coordinates[0];
    assert.equal(ring.length, 65);
    assert.deepEqual(ring[0], ring[ring.length - 1]);
    assert.ok(Math.abs(ring[0][1] - (60 + 5000 / 111_195.08)) < 1e-6); // due north, 5 km
    assert.equal(features[0].properties.label, 'Five km');
    assert.equal(features[1].properties.color, '#e11d48');
    assert.equal(features[1].properties.popup, '**hi**');
});
