/**
 * The sticky pull request comment: one comment per PR, found again by a hidden marker and edited in
 * place, so a PR that is pushed to ten times still has one dagship report.
 */
import { call, type GitHubClient, type RepoRef } from "./client.js";

/** The hidden HTML comment that marks dagship's PR report. */
export const PR_REPORT_MARKER = "<!-- dagship:pr-report -->";

/** What {@link upsertPrComment} did. */
export interface StickyCommentResult {
  action: "created" | "updated";
  id: number;
  url: string;
}

/**
 * Creates or updates the PR's sticky comment: the first comment (on any page of the PR's comments)
 * whose body holds `marker` is edited to `body`; when none does, one is created. The marker is put
 * at the top of the body when it is not already in it. Throws a GitHubApiError (DS2024).
 *
 * @example
 * ```ts
 * await upsertPrComment(client, { owner: "acme", repo: "jobs" }, 12, "## dagship plan\n...");
 * ```
 */
export async function upsertPrComment(client: GitHubClient, repo: RepoRef, pullNumber: number, body: string, marker = PR_REPORT_MARKER): Promise<StickyCommentResult> {
  const text = body.includes(marker) ? body : `${marker}\n${body}`;
  const existing = await findComment(client, repo, pullNumber, marker);
  if (existing !== undefined) {
    const { data } = await call(`updating comment ${existing} on #${pullNumber}`, () => client.rest.issues.updateComment({ ...repo, comment_id: existing, body: text }));
    return { action: "updated", id: data.id, url: data.html_url };
  }
  const { data } = await call(`commenting on #${pullNumber}`, () => client.rest.issues.createComment({ ...repo, issue_number: pullNumber, body: text }));
  return { action: "created", id: data.id, url: data.html_url };
}

/** The id of the first comment on the PR holding `marker`, reading page after page (100 a page). */
async function findComment(client: GitHubClient, repo: RepoRef, pullNumber: number, marker: string): Promise<number | undefined> {
  return call(`listing the comments of #${pullNumber}`, async () => {
    const pages = client.paginate.iterator(client.rest.issues.listComments, { ...repo, issue_number: pullNumber, per_page: 100 });
    for await (const page of pages) {
      const found = page.data.find((c) => c.body?.includes(marker));
      if (found !== undefined) return found.id;
    }
    return undefined;
  });
}
