// Where the page finds a session's endpoints: one place, each part encoded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventsUrl, importUrl, viewportUrl, layerExportUrl } from '../wwwroot/js/session-urls.js';

test('session endpoints are on the viewer origin with every part encoded', () => {
    const origin = 'https://maps.example';
    assert.equal(eventsUrl(origin, 'abc_-1'), 'https://maps.example/events?session=abc_-1');
    assert.equal(importUrl(origin, 'abc', 'parks & lakes.csv'), 'https://maps.example/sessions/abc/imports?name=parks%20%26%20lakes.csv');
    assert.equal(viewportUrl(origin, 'v/x'), 'https://maps.example/sessions/v%2Fx/viewport');
    assert.equal(layerExportUrl(origin, 'abc', 'my layer', 'geojson'), 'https://maps.example/sessions/abc/layers/my%20layer/export?format=geojson');
});
