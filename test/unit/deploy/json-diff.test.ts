import { describe, expect, test } from "vitest";
import { jsonDiff } from "../../../runner/deploy/json-diff.js";

describe("jsonDiff", () => {
  test("equal values have no changes", () => {
    expect(jsonDiff({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toEqual([]);
  });

  test("changed, added and removed fields are pointers with before and after", () => {
    expect(jsonDiff({ a: 1, gone: true, o: { x: 1 } }, { a: 2, o: { x: 1, "y/z": 3 } })).toEqual([
      { pointer: "/a", before: 1, after: 2 },
      { pointer: "/gone", before: true },
      { pointer: "/o/y~1z", after: 3 },
    ]);
  });

  test("tasks are matched by task_key, so inserting one reports only that task", () => {
    const before = { tasks: [{ task_key: "a", n: 1 }, { task_key: "b", n: 1 }] };
    const after = { tasks: [{ task_key: "new", n: 0 }, { task_key: "a", n: 1 }, { task_key: "b", n: 2 }] };
    expect(jsonDiff(before, after)).toEqual([
      { pointer: "/tasks/0", task: "new", after: { task_key: "new", n: 0 } },
      { pointer: "/tasks/2/n", task: "b", before: 1, after: 2 },
    ]);
  });

  test("a removed task points into the old job; parameters are matched by name", () => {
    const before = { tasks: [{ task_key: "a" }, { task_key: "b" }], parameters: [{ name: "p", default: "1" }, { name: "q", default: "2" }] };
    const after = { tasks: [{ task_key: "b" }], parameters: [{ name: "q", default: "3" }, { name: "p", default: "1" }] };
    expect(jsonDiff(before, after)).toEqual([
      { pointer: "/tasks/0", task: "a", before: { task_key: "a" } },
      { pointer: "/parameters/0/default", before: "2", after: "3" },
    ]);
  });

  test("a plain array of another length changes as a whole", () => {
    expect(jsonDiff({ l: [1, 2] }, { l: [1, 2, 3] })).toEqual([{ pointer: "/l", before: [1, 2], after: [1, 2, 3] }]);
  });
});
