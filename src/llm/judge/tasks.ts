// The task prompts of `method = "tasks"`, after the original project's harness: a compressed text
// is good when a model does the same work from it as from the original. Prose gets a question-
// answering task and a reasoning task; code gets an explanation and a re-implementation. Each
// prompt is a fixed template filled with the text, so the same doc always asks the same tasks
// (and a re-run is answered from the cache).
import type { Domain } from "../../sdk/types.ts";
import codeExplain from "../../../prompts/tasks-code-explain.txt" with { type: "text" };
import codeReimplement from "../../../prompts/tasks-code-reimplement.txt" with { type: "text" };
import nlQa from "../../../prompts/tasks-nl-qa.txt" with { type: "text" };
import nlReasoning from "../../../prompts/tasks-nl-reasoning.txt" with { type: "text" };

export interface Task {
  name: string;
  /** One line telling the comparing judge what the task asked. */
  summary: string;
  template: string;
}

const NL: Task[] = [
  { name: "qa", summary: "list every fact stated in the text", template: nlQa },
  { name: "reasoning", summary: "state what follows from the text", template: nlReasoning },
];

const CODE: Task[] = [
  { name: "explain", summary: "explain the behaviour of the code", template: codeExplain },
  { name: "reimplement", summary: "re-implement the code with the same signatures and behaviour", template: codeReimplement },
];

/** Mixed docs are mostly prose with code inside: the prose tasks, whose prompts ask for code facts too. */
export function tasksFor(domain: Domain): Task[] {
  return domain === "code" ? CODE : NL;
}
