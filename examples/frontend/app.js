// A small newsdb frontend: topic filters from facet counts, cursor paging, full-text search.
// It talks to the API given as ?api=http://host:port (default http://127.0.0.1:8000).
const api = new URLSearchParams(location.search).get("api") || "http://127.0.0.1:8000";
const state = { tags: [], q: "", cursor: null };
const facetTaxonomies = (new URLSearchParams(location.search).get("facets") || "topics,issues").split(",");

function query(withCursor) {
  const params = new URLSearchParams({ limit: "10", facets: [...facetTaxonomies, "outlet"].join(",") });
  state.tags.forEach((tag) => params.append("tag", tag));
  if (state.q) params.set("q", state.q);
  if (withCursor && state.cursor) params.set("cursor", state.cursor);
  return `${api}/v1/articles?${params}`;
}

function text(tag, content, className) {
  const node = document.createElement(tag);
  node.textContent = content;
  if (className) node.className = className;
  return node;
}

function renderArticle(item) {
  const node = document.createElement("article");
  node.dataset.id = item.id;
  node.append(text("h3", item.title));
  const who = [item.outlet && item.outlet.name, item.published_at,
               (item.authors || []).map((a) => a.name).join(", ")].filter(Boolean).join(" · ");
  node.append(text("div", who, "meta"));
  const passage = document.createElement("p");
  // The API escapes snippets itself and marks hits with <mark>; excerpts are plain text.
  if (item.snippet) passage.innerHTML = item.snippet; else passage.textContent = item.excerpt || "";
  node.append(passage);
  return node;
}

function renderFacets(facets) {
  const box = document.getElementById("facets");
  box.replaceChildren();
  for (const [name, counts] of Object.entries(facets || {})) {
    if (!counts.length) continue;
    box.append(text("h2", name));
    for (const facet of counts.slice(0, 15)) {
      const button = document.createElement("button");
      const ref = name === "outlet" ? null : `${name}:${facet.slug}`;
      button.dataset.facet = ref || "";
      button.setAttribute("aria-pressed", String(state.tags.includes(ref)));
      button.append(text("span", facet.name), text("span", String(facet.count), "count"));
      button.disabled = ref === null;
      button.addEventListener("click", () => {
        state.tags = state.tags.includes(ref) ? state.tags.filter((t) => t !== ref) : [...state.tags, ref];
        load(false);
      });
      box.append(button);
    }
  }
}

async function load(more) {
  const status = document.getElementById("status");
  status.textContent = "Loading…";
  try {
    const response = await fetch(query(more));
    const page = await response.json();
    if (!response.ok) throw new Error(page.detail || response.statusText);
    const list = document.getElementById("articles");
    if (!more) list.replaceChildren();
    page.items.forEach((item) => list.append(renderArticle(item)));
    state.cursor = page.next_cursor;
    document.getElementById("more").hidden = !page.next_cursor;
    if (!more) renderFacets(page.facets);
    status.textContent = `${page.total.toLocaleString()}${page.total_exact ? "" : "+"} articles`;
  } catch (error) {
    status.textContent = `Could not load articles: ${error.message}`;
  }
}

document.getElementById("more").addEventListener("click", () => load(true));
document.getElementById("search").addEventListener("submit", (event) => {
  event.preventDefault();
  state.q = document.getElementById("q").value.trim();
  load(false);
});
load(false);
