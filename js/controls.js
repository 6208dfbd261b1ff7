/* Native form controls from the declarations of nnmath.widgets.controls: a range input
 * for a Slider, a radio group or a <select> for a Choice, in the order declared. Every
 * change calls onChange(name); the values are read from `controls.values`. */
import { setAttrs } from "./kit.js";

export class Controls {
  /** host: the element to fill; declarations: the JSON of Slider.spec() / Choice.spec(). */
  constructor(host, declarations, id, onChange) {
    const doc = host.ownerDocument;
    this.doc = doc;
    this.values = {};
    this.rows = {};
    this.inputs = {};
    this.radios = {};
    this.outputs = {};
    this.declarations = {};
    this.players = {};
    this.onChange = onChange;
    const form = doc.createElement("form");
    form.className = "nnmath-explorer-controls";
    form.addEventListener("submit", (event) => event.preventDefault());
    host.appendChild(form);
    this.form = form;
    for (const d of declarations) {
      this.declarations[d.name] = d;
      this.values[d.name] = d.value;
      const row = this[d.kind](d, `${id}-${d.name}`);
      row.dataset.control = d.name;
      this.rows[d.name] = row;
      form.appendChild(row);
    }
  }

  range(d, id) {
    const doc = this.doc;
    const row = doc.createElement("div");
    row.className = "nnmath-control nnmath-control-range";
    const label = doc.createElement("label");
    label.htmlFor = id;
    label.textContent = d.label;
    const input = doc.createElement("input");
    setAttrs(input, { type: "range", id, name: d.name, min: d.min, max: d.max, step: d.step });
    input.value = String(d.value);
    const output = doc.createElement("output");
    output.htmlFor = id;
    output.setAttribute("aria-hidden", "true"); // the slider's aria-valuetext says it
    row.append(label);
    // A slider that plays (training steps) also moves by one step a press: a finger cannot
    // land on one step of a thousand, nor stop the play on it. So can one declared `nudge`
    // (the logits: a challenge asks for exact values).
    if (d.play) row.append(this.player(d, input), this.nudge(d, input, -1), this.nudge(d, input, 1));
    else if (d.nudge) {
      row.classList.add("nnmath-control-nudged"); // its buttons show where the pointer is a finger
      row.append(this.nudge(d, input, -1), this.nudge(d, input, 1));
    }
    row.append(input, output);
    input.addEventListener("input", () => {
      this.values[d.name] = Number(input.value);
      this.show(d.name);
      this.onChange(d.name);
    });
    this.inputs[d.name] = input;
    this.outputs[d.name] = output;
    this.show(d.name, d.value);
    return row;
  }

  radio(d, id) {
    const doc = this.doc;
    const row = doc.createElement("fieldset");
    row.className = "nnmath-control nnmath-control-radio";
    const legend = doc.createElement("legend");
    legend.textContent = d.label;
    row.append(legend);
    const group = doc.createElement("span");
    group.className = "nnmath-options";
    this.radios[d.name] = d.options.map((option, i) => {
      // The label holds its radio button: the whole label is the target, not only the dot.
      const label = doc.createElement("label");
      label.className = "nnmath-option";
      const radio = doc.createElement("input");
      setAttrs(radio, { type: "radio", id: `${id}-${i}`, name: id, value: String(i) });
      radio.checked = option.value === d.value;
      radio.addEventListener("change", () => {
        if (!radio.checked) return;
        this.values[d.name] = option.value;
        this.onChange(d.name);
      });
      const text = doc.createElement("span");
      text.textContent = option.label;
      label.append(radio, text);
      group.append(label);
      return radio;
    });
    row.append(group);
    return row;
  }

  select(d, id) {
    const doc = this.doc;
    const row = doc.createElement("div");
    row.className = "nnmath-control nnmath-control-select";
    const label = doc.createElement("label");
    label.htmlFor = id;
    label.textContent = d.label;
    const select = doc.createElement("select");
    select.id = id;
    d.options.forEach((option, i) => {
      const item = doc.createElement("option");
      item.value = String(i);
      item.textContent = option.label;
      item.selected = option.value === d.value;
      select.append(item);
    });
    select.addEventListener("change", () => {
      this.values[d.name] = d.options[Number(select.value)].value;
      this.onChange(d.name);
    });
    this.inputs[d.name] = select;
    row.append(label, select);
    return row;
  }

  /** The readout of a slider's value, as the declaration formats it. */
  format(name, value) {
    const d = this.declarations[name];
    return Number(value).toFixed(d.decimals).replace("-", "\u2212");
  }

  show(name) {
    const d = this.declarations[name];
    const text = this.format(name, this.values[name]);
    this.outputs[name].textContent = text;
    this.inputs[name].setAttribute("aria-valuetext", `${d.label} = ${text}`);
  }

  /** Put the controls at `values` (set from elsewhere: the kernel, the play button). */
  set(values) {
    for (const [name, value] of Object.entries(values)) {
      const d = this.declarations[name];
      if (!d || this.values[name] === value) continue;
      this.values[name] = value;
      if (d.kind === "range") {
        this.inputs[name].value = String(value);
        this.show(name);
      } else if (d.kind === "radio") {
        d.options.forEach((option, i) => (this.radios[name][i].checked = option.value === value));
      } else {
        this.inputs[name].value = String(d.options.findIndex((o) => o.value === value));
      }
    }
  }

  hide(name, hidden) {
    this.rows[name].hidden = !!hidden;
  }

  /**
   * Move the controls `names` out of the form into a group of their own at the end of
   * `host`, labelled `label`: a view puts the controls of its lower panels there, beside
   * what they move (on a phone the form is a screen above them). The group is laid out
   * as the form is; the controls keep their order, names and handlers.
   */
  group(names, host, label) {
    const box = this.doc.createElement("div");
    box.className = "nnmath-explorer-controls";
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", label);
    for (const name of names) box.append(this.rows[name]);
    host.append(box);
    return box;
  }

  /** A button that moves a slider by one step down (sign -1) or up (+1), within its range. */
  nudge(d, input, sign) {
    const button = this.doc.createElement("button");
    button.type = "button";
    button.className = "nnmath-nudge";
    const step = Number(d.step);
    button.textContent = `${sign < 0 ? "\u2212" : "+"}${step}`;
    button.setAttribute("aria-label", `${d.label} ${sign < 0 ? "back" : "forward"} ${step}`);
    button.addEventListener("click", () => {
      const player = this.players[d.name];
      if (player) player.stop();
      const next = Math.min(d.max, Math.max(d.min, this.values[d.name] + sign * step));
      if (next !== this.values[d.name]) this.moveTo(d, input, next);
    });
    return button;
  }

  /** Move a slider from a button, as a drag on it would: its readout, then onChange. */
  moveTo(d, input, value) {
    this.set({ [d.name]: value });
    input.dispatchEvent(new this.doc.defaultView.Event("input"));
  }

  /** A play/pause button that moves a slider to its max, playStep per animation frame. */
  player(d, input) {
    const button = this.doc.createElement("button");
    button.type = "button";
    button.className = "nnmath-play";
    button.setAttribute("aria-pressed", "false");
    button.setAttribute("aria-label", `play ${d.label}`);
    button.textContent = "\u25B6 play";
    const win = this.doc.defaultView;
    let playing = false;
    const stop = () => {
      playing = false;
      button.setAttribute("aria-pressed", "false");
      button.textContent = "\u25B6 play";
    };
    const frame = () => {
      if (!playing) return;
      const next = Math.min(d.max, this.values[d.name] + d.playStep);
      this.moveTo(d, input, next);
      if (next >= d.max) stop();
      else win.requestAnimationFrame(frame);
    };
    button.addEventListener("click", () => {
      if (playing) {
        stop();
        return;
      }
      playing = true;
      button.setAttribute("aria-pressed", "true");
      button.textContent = "\u23F8 pause";
      if (this.values[d.name] >= d.max) this.set({ [d.name]: d.min });
      win.requestAnimationFrame(frame);
    });
    this.players[d.name] = { button, stop };
    return button;
  }
}
