/* Practice in the page and in Jupyter: knowledge checks, explorer challenges and a chapter's
 * progress, drawn from the JSON of nnmath.practice (one spec, declared once in Python) and
 * graded here, in the reader's browser. Nothing leaves the page: answers are kept in
 * localStorage, one entry a chapter.
 *
 * A practice root holds a spec {chapter, items: [check...]} or {chapter, progress: {...}}.
 * Each check is a <section data-check="ID"> whose `data-state` is {"answered", "correct"}
 * after every answer; each challenge a <section data-challenge="ID"> whose `data-state` is
 * {"done", "moves", "best"}: the hooks tests read. A challenge counts the moves of the
 * controls its spec names in `controls` (all of them when null): the others cannot change
 * its goal.
 *
 * `env`, given by the page (page.js) or the widget (widget.js):
 *   mountExplorer(host, spec, id) -> shows an explorer (a predict's) inside `host`;
 *   scope(root) -> the element to look for a challenge's explorer in (the page, a notebook);
 *   resolveSee(label) -> {title, href, target?} of a section the build did not link
 *     (optional; a link to `target` scrolls it into view).
 */
import { STATE_EVENT } from "./explorer.js";
import { uid } from "./kit.js";

export const CHANGE_EVENT = "nnmath-practice-change";
export const RESET_EVENT = "nnmath-explorer-reset";
const KEY = "nnmath-practice/";
const KICKER = {
  choice: "Check your understanding",
  number: "Check your understanding",
  predict: "Predict, then check with the explorer",
  challenge: "Challenge",
};

// -- storage: one entry a chapter; a page where storage is refused keeps answers in memory -------
const memory = {};
let storageWorks = true;

function load(chapter) {
  try {
    const text = window.localStorage.getItem(KEY + chapter);
    const data = text ? JSON.parse(text) : null;
    if (data && data.checks && data.challenges) return data;
  } catch (error) {
    storageWorks = false;
  }
  return memory[chapter] || { checks: {}, challenges: {} };
}

function save(chapter, data) {
  memory[chapter] = data;
  try {
    window.localStorage.setItem(KEY + chapter, JSON.stringify(data));
  } catch (error) {
    storageWorks = false;
  }
  announce(chapter, "save");
}

function clear(chapter) {
  delete memory[chapter];
  try {
    window.localStorage.removeItem(KEY + chapter);
  } catch (error) {
    storageWorks = false;
  }
  announce(chapter, "reset");
}

function announce(chapter, what) {
  document.dispatchEvent(new CustomEvent(CHANGE_EVENT, { detail: { chapter, what } }));
}

// -- text: segments [kind, content, html?] -------------------------------------------------------
function el(doc, tag, attrs, ...children) {
  const node = doc.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

/** Punctuation that stays on the line of the formula before it, as in the book's text
 * (_ext/build_time_math.py): it goes inside the formula's span.math, which does not wrap. */
const TRAILING_PUNCTUATION = /^[.,;:!?)\]\u2019\u201d\u2026]+/;
/** An opening bracket or quote right before a formula goes in with it, likewise. */
const LEADING_PUNCTUATION = /[(\[\u2018\u201c]+$/;

/** Rich text from segments: text, code, and math (typeset at build time where there is html). */
export function rich(doc, segments, tag = "span", attrs = {}) {
  const node = el(doc, tag, attrs);
  let math = null; // the formula just written, if the last segment was one
  for (const [kind, content, html] of segments || []) {
    const before = math;
    math = null;
    if (kind === "text") {
      const trailing = before && TRAILING_PUNCTUATION.exec(content);
      if (trailing) before.append(trailing[0]);
      const rest = trailing ? content.slice(trailing[0].length) : content;
      if (rest) node.append(doc.createTextNode(rest));
    } else if (kind === "code") node.append(el(doc, "code", { text: content }));
    else if (html) {
      math = el(doc, "span", { class: "math notranslate nohighlight" });
      math.innerHTML = html; // written by the book's build, from the book's own text
      const text = node.lastChild && node.lastChild.nodeType === 3 ? node.lastChild : null;
      const leading = text && LEADING_PUNCTUATION.exec(text.data);
      if (leading) {
        text.data = text.data.slice(0, leading.index);
        if (!text.data) text.remove();
        math.prepend(leading[0]);
      }
      node.append(math);
    } else node.append(el(doc, "code", { class: "nnmath-tex", text: `$${content}$` }));
  }
  return node;
}

/** Segments as plain text: math as the text of its MathML (not its TeX annotation). */
function plain(doc, segments) {
  return (segments || [])
    .map(([kind, content, html]) => {
      if (kind !== "math" || !html) return content;
      const box = doc.createElement("div");
      box.innerHTML = html;
      box.querySelectorAll("annotation, [aria-hidden='true']").forEach((n) => n.remove());
      return (box.querySelector("math") || box).textContent;
    })
    .join("")
    .trim();
}

/** Whether segments hold any words outside math. */
function hasWords(segments) {
  return (segments || []).some(([kind, content]) => kind !== "math" && content.trim());
}

// Where a section label was not linked at build time (in Jupyter), the environment may
// find the section itself: {title, href} or null.
let resolveSee = null;

function seeLink(doc, see) {
  if (!see) return null;
  if (!see.href && resolveSee) see = { ...see, ...(resolveSee(see.label) || {}) };
  if (see.href) {
    const link = el(doc, "a", { href: see.href, class: "nnmath-see-link" }, see.title || see.label);
    const target = see.target;
    if (target) {
      link.addEventListener("click", (event) => {
        event.preventDefault();
        target.scrollIntoView({ block: "start" });
      });
    }
    return el(doc, "span", { class: "nnmath-see" }, "See ", link, ".");
  }
  if (see.title) return el(doc, "span", { class: "nnmath-see" }, `See \u201C${see.title}\u201D.`);
  const label = el(doc, "code", { class: "nnmath-see-link" }, see.label);
  return el(doc, "span", { class: "nnmath-see" }, "See the book\u2019s section labelled ", label, ".");
}

const NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];

/** A feedback paragraph: the verdict, then the explanation and where to read more. */
function verdict(doc, ok, text) {
  return el(doc, "strong", { class: ok ? "nnmath-right" : "nnmath-wrong" }, ok ? "\u2713 " : "\u2717 ", text);
}

function explanation(doc, why, see, prefix) {
  const p = el(doc, "p", {}, prefix || null);
  if (why) {
    if (prefix) p.append(" ");
    p.append(rich(doc, why));
  }
  const link = seeLink(doc, see);
  if (link) {
    p.append(" ");
    p.append(link);
  }
  return p;
}

// -- numbers -------------------------------------------------------------------------------------
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

/** What the reader typed, with the minus sign as "-" and no spaces. */
function typedText(text) {
  return String(text).trim().replace(/\u2212/g, "-").replace(/\s+/g, "");
}

/** A number the reader typed: "0.75", "−0.5", "0,75", "3/4", "1e-3"; NaN if it is none. */
export function parseNumber(text) {
  let t = typedText(text);
  if (/^[-+]?\d+,\d+$/.test(t)) t = t.replace(",", ".");
  const parts = t.split("/");
  if (parts.length === 2 && NUMBER.test(parts[0]) && NUMBER.test(parts[1])) {
    const value = Number(parts[0]) / Number(parts[1]);
    return Number.isFinite(value) ? value : NaN;
  }
  return NUMBER.test(t) ? Number(t) : NaN;
}

function within(value, target, tolerance) {
  return Math.abs(value - target) <= tolerance + 1e-12 * Math.max(1, Math.abs(target));
}

/** How many decimals a tolerance asks for: 2 for 0.005 ("to two decimals"), 3 for 0.0005;
 * 0 when it is not half a unit of a decimal place (0.01, 1e-6 on a count). */
export function decimalsAsked(tolerance) {
  const k = -Math.log10(2 * tolerance);
  return k >= 1 && Math.abs(k - Math.round(k)) < 1e-9 ? Math.round(k) : 0;
}

/** The decimals written in a typed number ("-0.13" has 2, "0,5" 1); 0 for a whole
 * number, a fraction or an exponent, whose precision is not written as decimals. */
export function decimalsTyped(text) {
  const m = /^[-+]?\d*[.,](\d+)$/.exec(typedText(text));
  return m ? m[1].length : 0;
}

/** The verdict on a number: {correct, wrong (index of a common wrong number, or -1),
 * rounded (the decimals of a number that is the answer rounded to fewer decimals than
 * the question asks, such as -0.13 for -0.125 asked to three; else 0)}. `text` is what
 * the reader typed, for its decimals. A common wrong number wins over a rounding. */
export function gradeNumber(spec, value, text = "") {
  if (within(value, spec.answer, spec.tolerance)) return { correct: true, wrong: -1, rounded: 0 };
  let best = -1;
  spec.wrong.forEach((w, i) => {
    if (within(value, w.value, w.tolerance)) {
      if (best < 0 || Math.abs(value - w.value) < Math.abs(value - spec.wrong[best].value)) best = i;
    }
  });
  const typed = decimalsTyped(text);
  const rounded =
    best < 0 && typed >= 1 && typed < decimalsAsked(spec.tolerance) && within(value, spec.answer, 0.5 * 10 ** -typed)
      ? typed
      : 0;
  return { correct: false, wrong: best, rounded };
}

/** The verdict on chosen options (indices): right when exactly the right ones are chosen. */
export function gradeChoice(spec, chosen) {
  const set = new Set(chosen);
  return spec.options.every((o, i) => o.correct === set.has(i));
}

// -- a check -------------------------------------------------------------------------------------
function mountCheck(doc, host, spec, chapter, env) {
  const id = uid(`nnmath-check-${spec.id}-`);
  const kind = spec.predict ? "predict" : spec.kind;
  // A named group, not a landmark: a chapter has many checks.
  const root = el(doc, "div", {
    class: `nnmath-check nnmath-check-${kind}`,
    role: "group",
    "data-check": spec.id,
    "aria-labelledby": `${id}-kicker`,
  });
  root.append(el(doc, "p", { class: "nnmath-kicker", id: `${id}-kicker`, text: KICKER[kind] }));
  const form = el(doc, "form", { class: "nnmath-check-form", novalidate: true });
  const feedback = el(doc, "div", { class: "nnmath-feedback", "aria-live": "polite" });
  let read;
  let restore;
  if (spec.kind === "choice") {
    const fieldset = el(doc, "fieldset", { class: "nnmath-choices" });
    fieldset.append(rich(doc, spec.question, "legend", { class: "nnmath-question" }));
    if (spec.multiple) fieldset.append(el(doc, "p", { class: "nnmath-how", text: "Choose every right answer." }));
    const inputs = spec.options.map((option, i) => {
      const input = el(doc, "input", {
        type: spec.multiple ? "checkbox" : "radio",
        name: id,
        value: String(i),
        id: `${id}-${i}`,
      });
      // An option that is only math is named by its MathML's text too (some checkers do
      // not read MathML into a label).
      if (!hasWords(option.text)) input.setAttribute("aria-label", plain(doc, option.text));
      fieldset.append(el(doc, "label", { class: "nnmath-choice", for: `${id}-${i}` }, input, rich(doc, option.text)));
      return input;
    });
    form.append(fieldset);
    read = () => {
      const chosen = inputs.flatMap((input, i) => (input.checked ? [i] : []));
      return chosen.length ? { answer: chosen } : { error: spec.multiple ? "Choose at least one answer." : "Choose an answer." };
    };
    restore = (answer) => inputs.forEach((input, i) => (input.checked = !!answer && answer.includes(i)));
  } else {
    form.append(rich(doc, spec.question, "p", { class: "nnmath-question", id: `${id}-q` }));
    const input = el(doc, "input", {
      type: "text",
      id: `${id}-n`,
      class: "nnmath-number",
      autocomplete: "off",
      spellcheck: "false",
      "aria-describedby": `${id}-q`,
    });
    form.append(el(doc, "p", { class: "nnmath-answer-row" }, el(doc, "label", { for: `${id}-n`, text: "Your answer" }), input));
    read = () => {
      const value = parseNumber(input.value);
      return Number.isFinite(value)
        ? { answer: input.value.trim(), value }
        : { error: "Type a number, such as 0.25, \u22121.5 or 3/4." };
    };
    restore = (answer) => (input.value = answer || "");
  }
  const button = el(doc, "button", {
    type: "submit",
    class: "nnmath-button",
    text: spec.predict ? "Commit, then show it" : "Check",
  });
  form.append(el(doc, "p", { class: "nnmath-actions" }, button));
  root.append(form, feedback);
  let shown = null; // the predict's explorer, once shown

  /** `tries`: how many answers this one makes, itself included (1 for a first answer). */
  function show(result, answer, value, tries) {
    feedback.replaceChildren();
    const state = { answered: result !== null, correct: !!(result && result.correct) };
    root.dataset.state = JSON.stringify(state);
    if (result === null) return;
    if (spec.kind === "choice") {
      const chosen = new Set(answer);
      if (result.correct) {
        feedback.append(explanation(doc, spec.why, null, verdict(doc, true, "Right.")));
        if (spec.multiple || !spec.why) {
          spec.options.forEach((o) => o.correct && o.why && feedback.append(explanation(doc, o.why, null)));
        }
      } else {
        feedback.append(el(doc, "p", {}, verdict(doc, false, "Not quite.")));
        // A first try hears why its wrong choices are wrong and that it left out a right one,
        // not which, nor how many: a count, beside the wrong choices explained, would name
        // them by elimination. A second, different answer hears which it missed.
        const missed = spec.options.filter((o, i) => o.correct && !chosen.has(i));
        const name = tries > 1;
        // Each section is pointed to once: two wrong choices with the same "see" said
        // "See The subgradient interval [0, 1]." twice.
        const pointed = new Set();
        const once = (see) => {
          const key = see && JSON.stringify(see);
          if (!key || pointed.has(key)) return null;
          pointed.add(key);
          return see;
        };
        spec.options.forEach((o, i) => {
          if (!o.correct && chosen.has(i)) {
            feedback.append(explanation(doc, o.why, once(o.see || spec.see), rich(doc, o.text, "em")));
          } else if (o.correct && !chosen.has(i) && spec.multiple && name) {
            feedback.append(explanation(doc, o.why, once(o.see || spec.see), el(doc, "em", {}, "Missed: ", rich(doc, o.text))));
          }
        });
        if (spec.multiple && missed.length && !name) {
          feedback.append(
            explanation(doc, null, once(spec.see), el(doc, "em", { class: "nnmath-missed" }, "Not every right answer is chosen yet. Look again, then check.")),
          );
        }
      }
    } else if (result.correct) {
      feedback.append(explanation(doc, spec.why, null, verdict(doc, true, "Right.")));
    } else {
      feedback.append(el(doc, "p", {}, verdict(doc, false, `Not quite: ${String(answer).replace("-", "\u2212")} is not it.`)));
      const w = spec.wrong[result.wrong];
      if (w) feedback.append(explanation(doc, w.why, w.see || spec.see));
      else if (result.rounded) {
        // The method was right; the rounding came too soon. The hint would say the method again.
        const asked = decimalsAsked(spec.tolerance);
        const decimals = (n) => `${NUMBER_WORDS[n] || n} decimal${n === 1 ? "" : "s"}`;
        feedback.append(
          explanation(doc, [["text", `Close: that is the answer rounded to ${decimals(result.rounded)}. Give it to ${decimals(asked)}, as the question asks.`]], null),
        );
      } else feedback.append(explanation(doc, spec.hint, spec.see));
    }
    if (spec.predict && !shown) {
      shown = el(doc, "div", { class: "nnmath-predict-explorer" });
      shown.append(rich(doc, spec.predict.look, "p", { class: "nnmath-look" }));
      root.append(shown);
      const holder = el(doc, "div", {});
      shown.append(holder);
      env.mountExplorer(holder, spec.predict.spec, spec.id);
    }
  }

  function unshow() {
    feedback.replaceChildren();
    restore(null);
    if (shown) shown.remove();
    shown = null;
    root.dataset.state = JSON.stringify({ answered: false, correct: false });
  }

  function grade(answer, value) {
    if (spec.kind === "choice") return { correct: gradeChoice(spec, answer) };
    return gradeNumber(spec, value, answer);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const got = read();
    if (got.error) {
      feedback.replaceChildren(el(doc, "p", {}, verdict(doc, false, got.error)));
      return;
    }
    const result = grade(got.answer, got.value);
    const data = load(chapter);
    const before = data.checks[spec.id];
    // The same answer checked again is not another try: a second press of "Check" must not
    // name the right options that only a second, different answer earns.
    const again = before && JSON.stringify(before.answer) === JSON.stringify(got.answer);
    const tries = ((before && before.tries) || 0) + (again ? 0 : 1);
    show(result, got.answer, got.value, tries);
    data.checks[spec.id] = {
      answer: got.answer,
      correct: result.correct,
      tries,
      // right at the first try: the tally counts these apart from answers mended later
      first: before ? !!before.first : result.correct,
    };
    save(chapter, data);
  });

  const saved = load(chapter).checks[spec.id];
  if (saved && saved.answer !== undefined) {
    restore(saved.answer);
    const value = spec.kind === "choice" ? undefined : parseNumber(saved.answer);
    show(grade(saved.answer, value), saved.answer, value, saved.tries || 1);
  } else root.dataset.state = JSON.stringify({ answered: false, correct: false });
  host.append(root);
  return { id: spec.id, reset: unshow };
}

// -- a challenge ---------------------------------------------------------------------------------
/** The explorer a challenge listens to: the nearest one of its name above it. */
function nearestExplorer(root, name, env) {
  let found = null;
  const scope = env.scope(root);
  for (const candidate of scope.querySelectorAll(`.nnmath-explorer[data-explorer="${name}"]`)) {
    if (candidate.closest(".nnmath-practice")) continue; // a predict's own explorer
    if (candidate.compareDocumentPosition(root) & Node.DOCUMENT_POSITION_FOLLOWING) found = candidate;
  }
  return found;
}

/** Whether every condition of a goal holds, as nnmath.practice.Condition.met decides. */
export function goalMet(conditions, values, state) {
  return conditions.every((c) => {
    let node = c.path.startsWith("values.") ? values : state;
    for (const key of c.path.split(".").slice(1)) {
      if (node === null || node === undefined) return false;
      node = node[Array.isArray(node) ? Number(key) : key];
    }
    if (node === undefined) return false;
    const numeric = typeof node === "number" && typeof c.value === "number";
    if (c.op === "==" || c.op === "!=") {
      const same = numeric ? Math.abs(node - c.value) <= c.tolerance : node === c.value;
      return c.op === "==" ? same : !same;
    }
    if (!numeric) return false;
    return { "<": node < c.value, "<=": node <= c.value, ">": node > c.value, ">=": node >= c.value }[c.op];
  });
}

function mountChallenge(doc, host, spec, chapter, env) {
  const id = uid(`nnmath-challenge-${spec.id}-`);
  const root = el(doc, "div", {
    class: "nnmath-check nnmath-challenge",
    role: "group",
    "data-challenge": spec.id,
    "aria-labelledby": `${id}-kicker`,
  });
  root.append(el(doc, "p", { class: "nnmath-kicker", id: `${id}-kicker`, text: KICKER.challenge }));
  root.append(rich(doc, spec.goal, "p", { class: "nnmath-question" }));
  // Where only some controls can change the goal, only their moves count, and it says so.
  const counted = spec.controls ? new Set(spec.controls) : null;
  if (spec.counts) root.append(el(doc, "p", { class: "nnmath-how", text: spec.counts }));
  const status = el(doc, "div", { class: "nnmath-feedback", "aria-live": "polite" });
  const count = el(doc, "p", { class: "nnmath-moves" });
  const again = el(doc, "button", { type: "button", class: "nnmath-button", text: "Start over" });
  root.append(status, count, el(doc, "p", { class: "nnmath-actions" }, again));
  host.append(root);

  let explorer = null;
  let moves = 0;
  let last = null;
  let done = false;
  let best = null;
  const saved = load(chapter).challenges[spec.id];
  if (saved) ({ done, best } = { done: !!saved.done, best: saved.best ?? null });

  function movesText(n) {
    return `${n} move${n === 1 ? "" : "s"}`;
  }

  // The live region says only what matters (the goal met); the move count beside it
  // changes on every move, silently.
  let shownVerdict = null;
  function render(justMet) {
    root.dataset.state = JSON.stringify({ done, moves, best });
    // Moves count from the explorer's starting values (the page's load, or Start over):
    // moves made while exploring, before the reader got here, count too, and say so.
    let line = moves
      ? `Not met yet. Moves so far: ${moves} (counted from the explorer\u2019s starting values; ` +
        "press Start over to count from 0)."
      : "Not met yet. Moves so far: 0.";
    if (!explorer) line = "The explorer above is not ready yet.";
    else if (done) line = `Moves this time: ${moves}.`;
    if (count.textContent !== line) count.textContent = line;
    const key = done ? `done-${best}` : "open";
    if (key === shownVerdict) return;
    shownVerdict = key;
    status.replaceChildren();
    if (!done) return;
    let text = justMet ? `Done, in ${movesText(best)}.` : `Done before, in ${movesText(best)}.`;
    if (spec.fewest) {
      // The fewest moves are counted from the explorer's starting values; moves made before
      // (exploring, another challenge) count too, until Start over.
      text += best <= spec.fewest
        ? " That is the fewest possible."
        : ` From the explorer\u2019s starting values it can be done in ${movesText(spec.fewest)}:` +
          " press Start over to try.";
    }
    status.append(explanation(doc, spec.why, spec.see, verdict(doc, true, text)));
  }

  function onState(event) {
    if (!explorer) bind();
    if (!explorer || event.target !== explorer) return;
    if (explorer.dataset.busy === "true" || moves === 0) return render(false);
    const values = JSON.parse(explorer.dataset.values || "{}");
    if (goalMet(spec.when, values, event.detail)) {
      const first = !done || best === null || moves < best;
      done = true;
      best = best === null ? moves : Math.min(best, moves);
      const data = load(chapter);
      data.challenges[spec.id] = { done: true, best };
      if (first) save(chapter, data);
      render(true);
    } else render(false);
  }

  function onMove(event) {
    const row = event.target.closest && event.target.closest("[data-control]");
    if (!row) return;
    const name = row.dataset.control;
    if (counted && !counted.has(name)) return; // cannot change the goal: not a move here
    // A slider's event that leaves its value as it was (an event sent by a script, say) is
    // no move: the explorer's values are still those of before this event.
    const before = JSON.parse(explorer.dataset.values || "{}");
    if (event.target.type === "range" && Number(event.target.value) === before[name]) return;
    if (name !== last) {
      moves += 1;
      last = name;
    }
  }

  function bind() {
    const found = nearestExplorer(root, spec.explorer, env);
    if (!found || found === explorer) return;
    if (explorer) {
      explorer.removeEventListener("input", onMove, true);
      explorer.removeEventListener("change", onMove, true);
      explorer.removeEventListener(RESET_EVENT, onReset);
    }
    explorer = found;
    explorer.addEventListener("input", onMove, true);
    explorer.addEventListener("change", onMove, true);
    // Start over, on any challenge of this explorer, puts it back to its starting values:
    // every challenge on it counts its moves from there again.
    explorer.addEventListener(RESET_EVENT, onReset);
    if (!explorer.id) explorer.id = uid(`nnmath-explorer-${spec.explorer}-`);
    root.dataset.explorerId = explorer.id; // which explorer it listens to (for tests)
  }

  function onReset() {
    moves = 0;
    last = null;
    render(false);
  }

  again.addEventListener("click", () => {
    bind();
    if (explorer) explorer.dispatchEvent(new CustomEvent(RESET_EVENT));
    else onReset();
  });
  doc.addEventListener(STATE_EVENT, onState);
  bind();
  render(false);
  return {
    id: spec.id,
    reset() {
      done = false;
      best = null;
      moves = 0;
      last = null;
      render(false);
    },
  };
}

// -- progress ------------------------------------------------------------------------------------
function mountProgress(doc, host, spec, chapter) {
  const { checks, challenges } = spec.progress;
  const root = el(doc, "section", { class: "nnmath-progress", "data-progress": chapter, "aria-label": "Your practice in this chapter" });
  const line = el(doc, "p", { class: "nnmath-progress-line", "aria-live": "polite", tabindex: "-1" });
  const note = el(doc, "p", { class: "nnmath-progress-note" });
  const reset = el(doc, "button", { type: "button", class: "nnmath-button", text: "Clear my answers" });
  root.append(line, note, el(doc, "p", { class: "nnmath-actions" }, reset));
  // The page holds this tally as drawn on a first visit, out of sight, to keep its room
  // (progress_still in _ext/page_practice.py): the live one takes its place in this task.
  const still = host.querySelector(":scope > .nnmath-progress-still");
  if (still) still.replaceWith(root);
  else host.append(root);

  function count() {
    const data = load(chapter);
    const answered = checks.filter((i) => data.checks[i]);
    const right = answered.filter((i) => data.checks[i].correct);
    const first = right.filter((i) => data.checks[i].first);
    const met = challenges.filter((i) => data.challenges[i] && data.challenges[i].done);
    let text = `Your practice in this chapter: ${answered.length} of ${checks.length} checks answered, ${right.length} right`;
    if (right.length) text += ` (${first.length} at the first try)`;
    if (challenges.length) text += `; ${met.length} of ${challenges.length} challenge${challenges.length === 1 ? "" : "s"} met`;
    line.textContent = `${text}.`;
    root.dataset.state = JSON.stringify({
      answered: answered.length,
      right: right.length,
      first: first.length,
      checks: checks.length,
      met: met.length,
      challenges: challenges.length,
    });
    note.textContent = storageWorks
      ? "Your answers are kept in this browser only, for this chapter; nothing leaves the page."
      : "This browser does not let the page keep your answers: they last until you leave the page.";
    reset.disabled = answered.length === 0 && met.length === 0;
  }

  reset.addEventListener("click", () => {
    if (!window.confirm("Clear your answers to this chapter\u2019s checks and challenges?")) return;
    clear(chapter);
    line.focus(); // the button is disabled now: the focus goes to the tally it changed
  });
  doc.addEventListener(CHANGE_EVENT, (event) => event.detail.chapter === chapter && count());
  window.addEventListener("storage", (event) => event.key === KEY + chapter && count());
  count();
}

// -- a practice root -----------------------------------------------------------------------------
/** Draw the practice of `spec` inside `host` (the page's root, or a widget's element). */
export function mountPractice(host, spec, env) {
  const doc = host.ownerDocument;
  if (env.resolveSee) resolveSee = env.resolveSee;
  host.classList.add("nnmath-practice");
  const { chapter } = spec;
  if (spec.progress) {
    mountProgress(doc, host, spec, chapter);
    return;
  }
  const mounted = spec.items.map((item) =>
    item.kind === "challenge" ? mountChallenge(doc, host, item, chapter, env) : mountCheck(doc, host, item, chapter, env),
  );
  doc.addEventListener(CHANGE_EVENT, (event) => {
    if (event.detail.chapter === chapter && event.detail.what === "reset") mounted.forEach((m) => m.reset());
  });
}
