// @ts-check

/**
 * RFC 7386 JSON merge patch, applied in place: null deletes, objects merge, everything else replaces.
 * @param {Record<string, any>} target
 * @param {Record<string, any>} patch
 */
export function mergePatch(target, patch) {
    for (const [key, value] of Object.entries(patch)) {
        if (value === null) {
            delete target[key];
        } else if (isObject(value) && isObject(target[key])) {
            mergePatch(target[key], value);
        } else {
            target[key] = structuredClone(value);
        }
    }
    return target;
}

/** @param {unknown} value @returns {value is Record<string, any>} */
function isObject(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
}
