// @ts-check

/**
 * @typedef {import('./map-style.js').MapLayer} MapLayer
 * @typedef {{ label: string, color: string }} LegendClass
 * @typedef {{ swatch: string, property: string | null, classes: LegendClass[] }} Legend
 */

export const FALLBACK_COLOR = '#64748b';
const COLOR_PAINT = ['fill-color', 'line-color', 'circle-color', 'fill-extrusion-color', 'text-color', 'icon-color'];
const CSS_COLOR = /^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,30}|(rgb|rgba|hsl|hsla)\([0-9.,%\s/deg]+\))$/;

/**
 * A layer's legend entry: the swatch is the colour the map paints it with (its first colouring paint property,
 * overrides included) or the agent's legend colour; a data-driven colour (`match`, `step`, `interpolate`) lists its
 * classes, each with its colour.
 * @param {MapLayer} layer
 * @returns {Legend}
 */
export function legendOf(layer) {
    const painted = paintedColor(layer);
    if (Array.isArray(painted)) {
        const classes = colorClasses(painted);
        if (classes.length > 0) {
            return { swatch: classes[0].color, property: inputProperty(painted), classes };
        }
    }
    const swatch = typeof painted === 'string' ? painted : layer.legendColor;
    return { swatch: cssColor(swatch), property: null, classes: [] };
}

/**
 * The value of the layer's first colouring paint property, overrides included.
 * @param {MapLayer} layer
 * @returns {unknown}
 */
export function paintedColor(layer) {
    for (const spec of layer.layers ?? []) {
        for (const property of COLOR_PAINT) {
            const value = layer.paint?.[spec.id]?.[property] ?? spec.paint?.[property];
            if (value !== undefined) {
                return value;
            }
        }
    }
    return undefined;
}

/**
 * The classes a colour expression draws: `match` lists each value (and "Other" for its fallback), `step` each range,
 * `interpolate` each stop.
 * @param {unknown[]} expression
 * @returns {LegendClass[]}
 */
export function colorClasses(expression) {
    const [operator] = expression;
    /** @type {LegendClass[]} */
    const classes = [];
    /** @param {unknown} label @param {unknown} color */
    const add = (label, color) => {
        if (typeof color === 'string') {
            classes.push({ label: String(label), color: cssColor(color) });
        }
    };
    if (operator === 'match') {
        // ['match', input, label, output, label, output, ..., fallback]
        const pairs = expression.slice(2, -1);
        for (let i = 0; i + 1 < pairs.length; i += 2) {
            add(Array.isArray(pairs[i]) ? /** @type {unknown[]} */ (pairs[i]).join(', ') : pairs[i], pairs[i + 1]);
        }
        if (expression.length % 2 === 1) {
            add('Other', expression[expression.length - 1]);
        }
    } else if (operator === 'step') {
        // ['step', input, base, stop, output, stop, output, ...]
        const stops = expression.slice(3);
        add(stops.length > 0 ? `< ${number(stops[0])}` : 'All', expression[2]);
        for (let i = 0; i + 1 < stops.length; i += 2) {
            const next = stops[i + 2];
            add(next === undefined ? `≥ ${number(stops[i])}` : `${number(stops[i])} – ${number(next)}`, stops[i + 1]);
        }
    } else if (operator === 'interpolate' || operator === 'interpolate-hcl' || operator === 'interpolate-lab') {
        // ['interpolate', ['linear'], input, stop, output, ...]
        const stops = expression.slice(3);
        for (let i = 0; i + 1 < stops.length; i += 2) {
            add(number(stops[i]), stops[i + 1]);
        }
    }
    return classes;
}

/**
 * The property a data-driven expression reads, when it reads one directly (['get', name]).
 * @param {unknown[]} expression
 */
function inputProperty(expression) {
    const input = expression[0] === 'match' || expression[0] === 'step' ? expression[1] : expression[2];
    return Array.isArray(input) && input[0] === 'get' && typeof input[1] === 'string' ? input[1] : null;
}

/** @param {unknown} value */
function number(value) {
    return typeof value === 'number' ? value.toLocaleString('en', { maximumFractionDigits: 6 }) : String(value);
}

/**
 * Colours from agents go into style attributes: only plain colour syntax gets through.
 * @param {unknown} color
 */
export function cssColor(color) {
    return typeof color === 'string' && color.length <= 64 && CSS_COLOR.test(color) ? color : FALLBACK_COLOR;
}
