/** The service pages, one chunk fetched when a service page is first opened (see lib/lazy.tsx). */
export { ArticleEditor, ArticlePage, ArticlesPage } from "./ArticlePages";
export { TicketForm } from "./TicketForm";
export { TicketPage } from "./TicketPage";
export { TicketsPage } from "./TicketsPage";
