// Enhancements only: every page reads and works without this file.
import { initAll } from "./vendor/govuk-frontend/govuk-frontend.min.js";

initAll();

const GRADE_LETTERS = {outstanding: "O", good: "G", requires_improvement: "R", adequate: "A", inadequate: "I"};
const GRADE_NAMES = {
  outstanding: "Outstanding", good: "Good", requires_improvement: "Requires improvement",
  adequate: "Adequate", inadequate: "Inadequate",
};

// Sortable tables: each column header becomes a button; cells sort by data-sort-value when
// present (grades by rank, dates as ISO), else by their text, numerically where they are numbers.
function sortValue(row, index) {
  const cell = row.children[index];
  if (!cell) return "";
  return cell.dataset.sortValue ?? cell.textContent.trim();
}

function compare(a, b) {
  const x = Number(a), y = Number(b);
  if (a !== "" && b !== "" && !Number.isNaN(x) && !Number.isNaN(y)) return x - y;
  return a.localeCompare(b, "en-GB");
}

// A table's order lives in the address (order=TABLE-ID:COLUMN:a|d), so a sorted view can be
// shared or bookmarked; the page opens sorted that way.
const ORDER = "order";

function remember(name, value) {
  const url = new URL(window.location.href);
  url.searchParams.set(name, value);
  try {
    window.history.replaceState(null, "", url);
  } catch {
    // a copy opened from disk (file://) may not change its address: the view still changes
  }
}

// The page's own forms carry the order too, so choosing filters keeps the table's sort.
function keepInForms(name, value) {
  document.querySelectorAll("form[method='get']").forEach((form) => {
    const action = new URL(form.getAttribute("action") || "", window.location.href);
    if (action.pathname !== window.location.pathname) return;
    let input = form.querySelector(`input[type="hidden"][name="${name}"]`);
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      form.appendChild(input);
    }
    input.value = value;
  });
}

function makeSortable(table) {
  const headers = table.tHead ? [...table.tHead.rows[0].cells] : [];
  const sortBy = (index, ascending) => {
    headers.forEach((h) => h.removeAttribute("aria-sort"));
    headers[index].setAttribute("aria-sort", ascending ? "ascending" : "descending");
    const body = table.tBodies[0];
    const rows = [...body.rows];
    rows.sort((r1, r2) => compare(sortValue(r1, index), sortValue(r2, index)) * (ascending ? 1 : -1));
    rows.forEach((row) => body.appendChild(row));
  };
  headers.forEach((header, index) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "ilacs-sort";
    button.textContent = header.textContent.trim();
    header.textContent = "";
    header.appendChild(button);
    button.addEventListener("click", () => {
      const ascending = header.getAttribute("aria-sort") !== "ascending";
      sortBy(index, ascending);
      if (table.id) {
        const order = `${table.id}:${index}:${ascending ? "a" : "d"}`;
        remember(ORDER, order);
        keepInForms(ORDER, order);
      }
    });
  });
  const order = new URLSearchParams(window.location.search).get(ORDER) || "";
  const [id, column, direction] = order.split(":");
  if (table.id && id === table.id && headers[Number(column)]) {
    sortBy(Number(column), direction !== "d");
    keepInForms(ORDER, order);
  }
}

document.querySelectorAll("table[data-sortable]").forEach(makeSortable);

// The map: choosing a judgement recolours the tiles at once instead of reloading the page.
const select = document.querySelector("[data-map-judgement]");
const map = document.querySelector("[data-map]");
if (select && map) {
  const form = select.closest("form");
  const button = form.querySelector("button");
  if (button) button.hidden = true;
  select.addEventListener("change", () => {
    const judgement = select.value;
    remember(select.name, judgement);
    map.querySelectorAll("a[data-grades]").forEach((link) => {
      const grade = JSON.parse(link.dataset.grades)[judgement] || "none";
      const name = GRADE_NAMES[grade] || "No grade";
      link.querySelectorAll("rect, text").forEach((shape) => {
        shape.setAttribute("class", shape.getAttribute("class").replace(/ilacs-grade--\S+/, `ilacs-grade--${grade}`));
      });
      // the tile's second line is its grade as a letter: colour never carries it alone
      const letter = link.querySelectorAll("text")[1];
      if (letter) letter.textContent = GRADE_LETTERS[grade] || "–";
      const title = link.querySelector("title");
      if (title) title.textContent = `${link.dataset.name} (${link.dataset.abbr}): ${name}`;
    });
    const mapTitle = map.querySelector("#map-title");
    if (mapTitle) mapTitle.textContent = `Map of England's local authorities coloured by ${select.options[select.selectedIndex].text.toLowerCase()}`;
  });
}
