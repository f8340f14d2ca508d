import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { workspacePathProblem } from "../../../runner/spec/environments.js";
import { loadEnvironment } from "../../../runner/workspace/environment.js";
import { createMasker } from "../../../runner/workspace/secrets.js";

describe("workspacePathProblem", () => {
  test("plain relative and absolute paths are fine", () => {
    for (const ok of [".dagship/dev", "/srv/dagship/prod", "../shared/ws", "données/été"]) expect(workspacePathProblem(ok), ok).toBeUndefined();
  });

  test("control characters, over 1,024 characters, a folder name over 255 bytes", () => {
    expect(workspacePathProblem(".dagship/\u0000x")).toBe("contains the control character U+0000");
    expect(workspacePathProblem("a\nb")).toBe("contains the control character U+000A");
    expect(workspacePathProblem("a".repeat(1025))).toBe("is 1025 characters long (at most 1024)");
    expect(workspacePathProblem(`.dagship/${"é".repeat(128)}`)).toMatch(/^has a folder name of 256 bytes \(at most 255\)/);
  });
});

describe("environments that share a workspace", () => {
  const root = mkdtempSync(path.join(tmpdir(), "dagship-shared-ws-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const env = (name: string, ws: string) => writeFileSync(path.join(root, "environments", `${name}.yaml`), `name: ${name}\nworkspace:\n  path: ${ws}\n`);
  mkdirSync(path.join(root, "environments"));

  test("are refused for both (DS2063), whether the same folder, inside or around", () => {
    env("dev", ".dagship/dev");
    env("staging", ".dagship/staging");
    expect(loadEnvironment(root, "dev").workspace).toBe(path.join(root, ".dagship", "dev"));
    for (const [other, how] of [[".dagship/dev", "the same workspace"], [".dagship/dev/x", "a workspace that holds theirs"], [".dagship", "a workspace inside theirs"]] as const) {
      env("staging", other);
      expect(() => loadEnvironment(root, "dev"), other).toThrow(`environments dev and staging share a workspace: dev has ${how}`);
      expect(() => loadEnvironment(root, "staging"), other).toThrow(/DS2063|share a workspace/);
    }
    env("staging", ".dagship/dev-other"); // a sibling with a common prefix is not inside
    expect(loadEnvironment(root, "dev").name).toBe("dev");
  });
});

describe("createMasker", () => {
  test("also masks a secret as a JSON string holds it", () => {
    const secret = 'a"b\\cΩd-secret';
    const mask = createMasker([secret]);
    expect(mask.text(`raw ${secret}`)).toBe("raw ***");
    expect(mask.text(`json ${JSON.stringify({ s: secret })}`)).toBe('json {"s":"***"}');
    expect(mask.text(`ascii ${JSON.stringify(secret).replace("Ω", "\\u03a9")}`)).toBe('ascii "***"');
    expect(createMasker(["l1-secret\nl2-secret"]).text(JSON.stringify({ k: "l1-secret\nl2-secret" }))).toBe('{"k":"***"}');
  });
});
