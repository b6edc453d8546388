// @ts-check
// The landing page's one script: it submits the new-map form at once, so opening "/" starts a map. A form submitted
// while its page is still loading replaces that page in the history: Back from the map does not come here to make another.
const form = document.querySelector('form[data-create-on-load]');
if (form instanceof HTMLFormElement) {
    form.requestSubmit();
}
