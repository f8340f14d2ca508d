import type { Rule } from "./context.js";

/** DS1021: job parameter names are unique. */
export const parameters: Rule = ({ job, report }) => {
  const seen = new Set<string>();
  job.parameters.forEach((p) => {
    if (seen.has(p.name)) report({ pointer: `/parameters/${p.index}/name`, code: "DS1021", message: `job parameter "${p.name}" is defined twice`, hint: "remove or rename one of them" });
    seen.add(p.name);
  });
};
