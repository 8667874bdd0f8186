// A small newsdb frontend: topic filters from facet counts, cursor paging, full-text search,
// and the selected tag's timeline (drawn by timeline.js) with the tags seen beside it.
// It talks to the API given as ?api=http://host:port (default http://127.0.0.1:8000).
const pageParams = new URLSearchParams(location.search);
const api = pageParams.get("api") || "http://127.0.0.1:8000";
// topic: the tag charted, the last one selected; names: the display name of each tag ref.
const state = { tags: [], q: "", cursor: null, topic: null, names: {}, chartRequest: 0 };
const facetTaxonomies = (pageParams.get("facets") || "topics,issues").split(",");

function query(withCursor) {
  const params = new URLSearchParams({ limit: "10", facets: [...facetTaxonomies, "outlet"].join(",") });
  state.tags.forEach((tag) => params.append("tag", tag));
  if (state.q) params.set("q", state.q);
  if (withCursor && state.cursor) params.set("cursor", state.cursor);
  return `${api}/v1/articles?${params}`;
}

// An RFC 9457 problem's title and detail, or the HTTP status when the body is not one.
function problemMessage(body, response) {
  const parts = body ? [body.title, body.detail].filter(Boolean) : [];
  return parts.length ? parts.join(": ") : `${response.status} ${response.statusText}`;
}

async function fetchJson(url) {
  const response = await fetch(url);
  const body = await response.json().catch(() => null);
  if (!response.ok || body === null) throw new Error(problemMessage(body, response));
  return body;
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
      button.addEventListener("click", () => toggleTag(ref, facet.name));
      box.append(button);
    }
  }
}

// The selected tags, whatever their taxonomy (a co-occurring tag may have no facet here): each
// button deselects its tag.
function renderSelected() {
  const box = document.getElementById("selected");
  box.replaceChildren();
  if (!state.tags.length) return;
  box.append(text("h2", "Selected"));
  for (const ref of state.tags) {
    const button = document.createElement("button");
    button.dataset.selected = ref;
    button.setAttribute("aria-pressed", "true");
    button.append(text("span", state.names[ref] || ref), text("span", "×", "count"));
    button.addEventListener("click", () => toggleTag(ref, state.names[ref]));
    box.append(button);
  }
}

function toggleTag(ref, name) {
  state.names[ref] = name;
  if (state.tags.includes(ref)) {
    state.tags = state.tags.filter((t) => t !== ref);
    if (state.topic === ref) state.topic = state.tags[state.tags.length - 1] || null;
  } else {
    state.tags = [...state.tags, ref];
    state.topic = ref;
  }
  load(false);
}

// A co-occurring tag's button: select it (if it is not already) and chart it.
function selectTag(ref, name) {
  state.names[ref] = name;
  if (!state.tags.includes(ref)) state.tags = [...state.tags, ref];
  state.topic = ref;
  load(false);
}

function tagPath(ref) {
  const split = ref.indexOf(":");
  const [taxonomy, slug] = [ref.slice(0, split), ref.slice(split + 1)];
  return `${api}/v1/taxonomies/${encodeURIComponent(taxonomy)}/tags/${encodeURIComponent(slug)}`;
}

// The topic's timeline counts what the list shows: the other selected tags and the search
// narrow it.
function timelineUrl(ref) {
  const params = new URLSearchParams({ interval: document.getElementById("interval").value });
  state.tags.filter((tag) => tag !== ref).forEach((tag) => params.append("tag", tag));
  if (state.q) params.set("q", state.q);
  return `${tagPath(ref)}/timeline?${params}`;
}

function scopeText(ref) {
  const others = state.tags.filter((tag) => tag !== ref).map((tag) => state.names[tag] || tag);
  const parts = others.length ? [`also tagged ${others.join(", ")}`] : [];
  if (state.q) parts.push(`matching “${state.q}”`);
  return parts.length ? `The listed articles: ${parts.join(", ")}.` : "";
}

async function fill(boxId, url, what, render) {
  const box = document.getElementById(boxId);
  try {
    const body = await fetchJson(url);
    return () => box.replaceChildren(render(body));
  } catch (error) {
    const message = `Could not load ${what}: ${error.message}`;
    return () => box.replaceChildren(text("p", message, "problem"));
  }
}

async function loadTopic() {
  const section = document.getElementById("topic");
  const ref = state.topic;
  const request = ++state.chartRequest; // answers to earlier requests are dropped
  section.hidden = !ref;
  if (!ref) return;
  const name = state.names[ref] || ref;
  section.setAttribute("aria-busy", "true");
  const updates = await Promise.all([
    fill("timeline", timelineUrl(ref), "the timeline",
         (timeline) => timelineFigure(timeline, name)),
    fill("cooccurring", `${tagPath(ref)}/cooccurring?limit=12`, "the tags seen with it",
         (tags) => cooccurringList(tags, state.tags, selectTag)),
  ]);
  if (request !== state.chartRequest) return;
  document.getElementById("topic-name").textContent = name;
  document.getElementById("topic-scope").textContent = scopeText(ref);
  section.dataset.tag = ref;
  updates.forEach((update) => update());
  section.removeAttribute("aria-busy");
}

async function load(more) {
  const status = document.getElementById("status");
  status.textContent = "Loading…";
  if (!more) {
    renderSelected();
    loadTopic();
  }
  try {
    const page = await fetchJson(query(more));
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
const intervalSelect = document.getElementById("interval");
if (["day", "week", "month"].includes(pageParams.get("interval"))) {
  intervalSelect.value = pageParams.get("interval");
}
intervalSelect.addEventListener("change", loadTopic);
document.getElementById("search").addEventListener("submit", (event) => {
  event.preventDefault();
  state.q = document.getElementById("q").value.trim();
  load(false);
});
load(false);
