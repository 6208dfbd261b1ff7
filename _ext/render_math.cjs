// Renders TeX to MathML with Temml, for _ext/build_time_math.py.
//
// Usage: node render_math.cjs <path of the temml package>
// One request a line on stdin, a JSON array [tex, displayMode]; one answer a line on
// stdout, {"mathml": "<math>...</math>"} or {"error": "Temml's message"}. A formula that
// Temml cannot read is an error, never red text in the page (throwOnError), and so is
// input that is not standard LaTeX (strict).
"use strict";

const path = require("node:path");
const readline = require("node:readline");
const temml = require(path.join(process.argv[2], "dist", "temml.cjs"));

const lines = readline.createInterface({ input: process.stdin, terminal: false });
lines.on("line", (line) => {
  let answer;
  try {
    const [tex, displayMode] = JSON.parse(line);
    const mathml = temml.renderToString(tex, {
      displayMode,
      throwOnError: true,
      strict: true,
    });
    answer = { mathml };
  } catch (error) {
    answer = { error: String(error && error.message ? error.message : error) };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
});
