// LLM judges of (original, compressed) pairs: requests, verdict parsing with one repair, the
// min-score decision, stage stats and the `--estimate` hook. Used by filter/equivalence.
export { askVerdict, judgeDirect, judgeTasks, type JudgeOutcome, type JudgeCallOptions, type JudgeErrorKind } from "./ask.ts";
export { decide, type Decision } from "./decide.ts";
export { estimateJudges, requestsFor, type JudgeEstimateOptions } from "./estimate.ts";
export { directRequest, repairRequest, answerRequests, compareRequest, judgeTemplate, pairInput, JUDGE_INPUT, type JudgeRequestOptions } from "./requests.ts";
export { recordStats, ratioBucket } from "./stats.ts";
export { judgeEntries, judgeCallOptions } from "./options.ts";
export { tasksFor, type Task } from "./tasks.ts";
export { parseVerdict, jsonObjects, isRefusal, verdictSchema, VERDICTS, type Verdict } from "./verdict.ts";
