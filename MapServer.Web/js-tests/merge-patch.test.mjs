// The viewer's merge patch (RFC 7386), as the api writes patches: null deletes, objects merge, arrays are replaced.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergePatch } from '../wwwroot/js/merge-patch.js';

test('merge patch deletes on null, merges objects and replaces arrays', () => {
    const result = mergePatch({ a: 1, b: { c: 2, d: 3 }, e: [1, 2], f: 'x' }, { a: null, b: { c: 5, g: { h: 1 } }, e: [3], f: { y: 1 } });
    assert.deepEqual(result, { b: { c: 5, d: 3, g: { h: 1 } }, e: [3], f: { y: 1 } });
});
