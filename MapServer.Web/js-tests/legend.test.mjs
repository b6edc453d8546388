// The panel's legend: the classes of a data-driven colour, and the swatch of a plain one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { legendOf, colorClasses, cssColor } from '../wwwroot/js/legend.js';

test('legend lists the classes of match, step and interpolate colours', () => {
    const match = legendOf({ layers: [{ id: 'a', type: 'circle', paint: { 'circle-color': ['match', ['get', 'kind'], 'park', '#16a34a', ['lake', 'sea'], '#0ea5e9', '#94a3b8'] } }] });
    assert.equal(match.property, 'kind');
    assert.deepEqual(match.classes.map((c) => [c.label, c.color]), [['park', '#16a34a'], ['lake, sea', '#0ea5e9'], ['Other', '#94a3b8']]);
    assert.equal(match.swatch, '#16a34a');

    const step = colorClasses(['step', ['get', 'pop'], '#eff6ff', 1000, '#93c5fd', 100000, '#1d4ed8']);
    assert.deepEqual(step.map((c) => c.label), ['< 1,000', '1,000 – 100,000', '≥ 100,000']);
    const interpolate = colorClasses(['interpolate', ['linear'], ['get', 'v'], 0, '#000000', 10.5, '#ffffff']);
    assert.deepEqual(interpolate.map((c) => c.label), ['0', '10.5']);

    // The agent's paint override is what the map draws, so the legend follows it.
    const overridden = legendOf({ layers: [{ id: 'a', type: 'fill', paint: { 'fill-color': '#111111' } }], paint: { a: { 'fill-color': ['match', ['get', 'x'], 1, 'red', 'blue'] } } });
    assert.deepEqual(overridden.classes.map((c) => c.label), ['1', 'Other']);
});

test('legend swatch is the painted colour, and colours that are not plain fall back', () => {
    assert.deepEqual(
        [
            legendOf({ layers: [{ id: 'a', type: 'line', paint: { 'line-color': '#9333ea' } }], legendColor: '#000000' }).swatch,
            legendOf({ layers: [{ id: 'a', type: 'raster' }], legendColor: '#f59e0b' }).swatch,
            legendOf({ layers: [{ id: 'a', type: 'line', paint: { 'line-color': 'red;background:url(x)' } }] }).swatch,
            cssColor('rgb(1, 2, 3)'),
        ],
        ['#9333ea', '#f59e0b', '#64748b', 'rgb(1, 2, 3)']);
});
