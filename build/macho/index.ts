/** Public surface of the Mach-O code-signature checker (issue 6). */
export { MachOError } from "./errors.ts";
export { parseSlices, type MachOSlice } from "./header.ts";
export { parseSuperBlob, hasCmsSignature } from "./superblob.ts";
export { parseCodeDirectory, type CodeDirectory } from "./code-directory.ts";
export { verifyBytes, describeCheck, type FileCheck, type SliceCheck, type DirectoryCheck } from "./verify.ts";
export { repairBytes, type RepairOptions, type RepairOutcome } from "./repair.ts";
export { adhocSignatureSize, buildAdhocSignature, writeAdhocSignature, type AdhocSignatureOptions } from "./sign.ts";
export { growSignatureSpace } from "./grow.ts";
export { verifyFile, ensureValidSignature, type EnsureResult } from "./file.ts";
