/** Public surface of the Mach-O code-signature checker (issue 6): what build.ts and the tests use. */
export { MachOError } from "./errors.ts";
export { parseSlices } from "./header.ts";
export { parseSuperBlob } from "./superblob.ts";
export { parseCodeDirectory } from "./code-directory.ts";
export { verifyBytes, describeCheck } from "./verify.ts";
export { repairBytes } from "./repair.ts";
export { buildAdhocSignature, writeAdhocSignature } from "./sign.ts";
export { verifyFile, ensureValidSignature } from "./file.ts";
