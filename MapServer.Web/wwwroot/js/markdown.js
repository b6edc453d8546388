// @ts-check

const INLINE = /\*\*(.+?)\*\*|\*(.+?)\*|`(.+?)`|\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/g;

/**
 * A small Markdown subset for popups (paragraphs, "- " lists, **bold**, *italic*, `code`, [links](https://...)),
 * built as DOM nodes: agents' text is never parsed as HTML.
 * @param {string} markdown
 */
export function markdownToNodes(markdown) {
    const fragment = document.createDocumentFragment();
    for (const block of markdown.replace(/\r\n/g, '\n').split(/\n{2,}/)) {
        const lines = block.split('\n').filter((line) => line.trim() !== '');
        if (lines.length === 0) {
            continue;
        }
        if (lines.every((line) => /^\s*[-*] /.test(line))) {
            const list = document.createElement('ul');
            for (const line of lines) {
                const item = document.createElement('li');
                appendInline(item, line.replace(/^\s*[-*] /, ''));
                list.append(item);
            }
            fragment.append(list);
            continue;
        }
        const paragraph = document.createElement('p');
        lines.forEach((line, index) => {
            if (index > 0) {
                paragraph.append(document.createElement('br'));
            }
            appendInline(paragraph, line);
        });
        fragment.append(paragraph);
    }
    return fragment;
}

/** @param {HTMLElement} parent @param {string} text */
function appendInline(parent, text) {
    let last = 0;
    for (const match of text.matchAll(INLINE)) {
        const at = match.index ?? 0;
        parent.append(document.createTextNode(text.slice(last, at)));
        const [, bold, italic, code, linkText, href] = match;
        /** @type {HTMLElement} */
        let node;
        if (bold !== undefined) {
            node = element('strong', bold);
        } else if (italic !== undefined) {
            node = element('em', italic);
        } else if (code !== undefined) {
            node = element('code', code);
        } else {
            const link = /** @type {HTMLAnchorElement} */ (element('a', linkText));
            link.href = href;
            link.target = '_blank';
            link.rel = 'noopener noreferrer';
            node = link;
        }
        parent.append(node);
        last = at + match[0].length;
    }
    parent.append(document.createTextNode(text.slice(last)));
}

/** @param {string} tag @param {string} text */
function element(tag, text) {
    const node = document.createElement(tag);
    node.textContent = text;
    return node;
}
