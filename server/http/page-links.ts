/**
 * The "First page" and "Next page" links of a list page: the same path and filters, with the next
 * page's cursor (server/lists.ts). No first-page link on the first page, no next link on the last.
 */
export function pageLinks(path: string, filters: Record<string, string>, page: { cursor: string | undefined; next: string | null }) {
  const withQuery = (query: Record<string, string>) => {
    const text = new URLSearchParams(query).toString();
    return text ? `${path}?${text}` : path;
  };
  return {
    nextPage: page.next ? withQuery({ ...filters, cursor: page.next }) : null,
    firstPage: page.cursor ? withQuery(filters) : null,
  };
}
