// The selected tag's attention over time as a dependency-free SVG bar chart, and the tags seen
// beside it. Builders only (data in, DOM out); app.js fetches and wires them. No innerHTML:
// every name and date goes in as text.
const SVG_NS = "http://www.w3.org/2000/svg";
const CHART = { width: 480, height: 160, left: 30, right: 6, top: 8, bottom: 20 };

function svgNode(name, attributes, content) {
  const node = document.createElementNS(SVG_NS, name);
  for (const [key, value] of Object.entries(attributes || {})) {
    node.setAttribute(key, String(value));
  }
  if (content !== undefined) node.textContent = content;
  return node;
}

function articleCount(count) {
  return `${count.toLocaleString("en")} article${count === 1 ? "" : "s"}`;
}

// "on 2024-02-10", "in the week of 2024-02-05", "in 2024-02": a bucket's start as prose.
function when(interval, start) {
  if (interval === "week") return `in the week of ${start}`;
  return interval === "month" ? `in ${start}` : `on ${start}`;
}

function peakOf(buckets) {
  return buckets.reduce((peak, bucket) => (bucket.count > peak.count ? bucket : peak), buckets[0]);
}

// "42 articles from 2024-01-01 to 2024-03-01, peak 7 on 2024-02-10"; null when nothing counted.
function timelineSummary(timeline) {
  const buckets = timeline.buckets || [];
  if (!buckets.length || !timeline.total) return null;
  const first = buckets[0].start;
  const last = buckets[buckets.length - 1].start;
  const span = first === last ? when(timeline.interval, first) : `from ${first} to ${last}`;
  const peak = peakOf(buckets);
  const peakText = `peak ${peak.count} ${when(timeline.interval, peak.start)}`;
  return `${articleCount(timeline.total)} ${span}, ${peakText}`;
}

function axisLabels(svg, first, last, max) {
  const { width, height, left, right, top, bottom } = CHART;
  const baseline = height - bottom;
  svg.append(
    svgNode("line", { class: "axis", x1: left, x2: width - right, y1: baseline, y2: baseline }),
    svgNode("text", { class: "max", x: left - 4, y: top + 8, "text-anchor": "end" }, String(max)),
    svgNode("text", { x: left - 4, y: baseline, "text-anchor": "end" }, "0"),
    svgNode("text", { class: "first", x: left, y: height - 4 }, first),
    svgNode("text", { class: "last", x: width - right, y: height - 4, "text-anchor": "end" }, last),
  );
}

// One <g class="bucket"> per bucket the API returned, empty ones included (a zero-height bar);
// a transparent full-height strip behind each bar carries the hover <title>.
function bucketGroup(bucket, index, step, max, interval) {
  const { height, left, top, bottom } = CHART;
  const plot = height - top - bottom;
  const x = left + index * step;
  const barHeight = max ? (bucket.count / max) * plot : 0;
  const group = svgNode("g", {
    class: "bucket", "data-start": bucket.start, "data-count": bucket.count,
  });
  const label = interval === "week" ? `week of ${bucket.start}` : bucket.start;
  group.append(
    svgNode("title", {}, `${label}: ${articleCount(bucket.count)}`),
    svgNode("rect", { class: "hit", x, y: top, width: step, height: plot }),
    svgNode("rect", {
      class: "bar",
      x: x + (step > 4 ? 0.5 : 0),
      y: top + plot - barHeight,
      width: Math.max(step > 4 ? step - 1 : step, 0.1),
      height: barHeight,
    }),
  );
  return group;
}

function timelineChart(timeline) {
  const { width, height, left, right } = CHART;
  const buckets = timeline.buckets;
  const max = peakOf(buckets).count;
  const svg = svgNode("svg", {
    viewBox: `0 0 ${width} ${height}`,
    role: "img",
    "aria-label": timelineSummary(timeline),
    "data-interval": timeline.interval,
  });
  axisLabels(svg, buckets[0].start, buckets[buckets.length - 1].start, max);
  const step = (width - left - right) / buckets.length;
  buckets.forEach((bucket, index) => {
    svg.append(bucketGroup(bucket, index, step, max, timeline.interval));
  });
  return svg;
}

// The chart, or a plain message when the tag has no (matching) articles: never an empty SVG.
function timelineFigure(timeline, name) {
  const figure = document.createElement("figure");
  if (!timelineSummary(timeline)) {
    const message = document.createElement("p");
    message.className = "empty";
    message.textContent = `No articles for ${name}.`;
    figure.append(message);
    return figure;
  }
  const caption = document.createElement("figcaption");
  caption.textContent = timelineSummary(timeline);
  figure.append(timelineChart(timeline), caption);
  return figure;
}

// The co-occurring tags as buttons, pressed if among `selected`; onSelect(ref, name) with ref
// "taxonomy:slug".
function cooccurringList(tags, selected, onSelect) {
  if (!tags.length) {
    const none = document.createElement("p");
    none.className = "empty";
    none.textContent = "No other tags on its articles.";
    return none;
  }
  const list = document.createElement("ul");
  for (const tag of tags) {
    const ref = `${tag.taxonomy_slug}:${tag.slug}`;
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.tag = ref;
    button.setAttribute("aria-pressed", String(selected.includes(ref)));
    button.title = `${tag.taxonomy_slug}: ${articleCount(tag.count)} together`;
    const name = document.createElement("span");
    name.textContent = tag.name;
    const count = document.createElement("span");
    count.className = "count";
    count.textContent = String(tag.count);
    button.append(name, count);
    button.addEventListener("click", () => onSelect(ref, tag.name));
    const item = document.createElement("li");
    item.append(button);
    list.append(item);
  }
  return list;
}
