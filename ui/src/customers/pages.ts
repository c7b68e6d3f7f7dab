/**
 * The customers' pages besides the list (a customer, the form, duplicates, merging, import, the
 * trash): one chunk fetched when one is first opened, so the list the window starts on does not
 * wait for them (see lib/lazy.tsx).
 */
export { CustomerDetail } from "./CustomerDetail";
export { CustomerFormPage } from "./CustomerFormPage";
export { DuplicatesPage } from "./DuplicatesPage";
export { ImportPage } from "./ImportPage";
export { MergePage } from "./MergePage";
export { TrashPage } from "./TrashPage";
