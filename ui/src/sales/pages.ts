/** The sales pages, one chunk fetched when a sales page is first opened (see lib/lazy.tsx). */
export { ContractPage, ContractsPage, NewContractPage } from "./ContractPages";
export { DealPage } from "./DealPage";
export { PipelinePage } from "./PipelinePage";
export { ProductsPage } from "./ProductsPage";
export { QuoteEditor, QuotePage, QuotesPage } from "./QuotePages";
