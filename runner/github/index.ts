/**
 * dagship's GitHub API layer: the sticky PR report comment, deployments with statuses, finding another run's artifact, and
 * check-run annotations with a fallback to workflow commands. All of it over one Octokit from
 * `@actions/github`; every API failure is a GitHubApiError (DS2024).
 */
export { call, createClient, GitHubApiError, GitHubConfigError, runContext, workflowRunUrl, type GitHubClient, type RepoRef, type RunContext } from "./client.js";
export { PR_REPORT_MARKER, upsertPrComment, type StickyCommentResult } from "./comment.js";
export { finishDeployment, setDeploymentStatus, startDeployment, type DeploymentState, type GitHubDeployment } from "./deployment.js";
export { annotate, ANNOTATION_BATCH, type AnnotationResult } from "./annotations.js";
export { ArtifactNotFoundError, ArtifactRunRefusedError, findArtifact, RUNS_SEARCHED, type ArtifactQuery, type FoundArtifact } from "./artifacts.js";
