// Version, target and commit, stamped by build/build.ts with --define; a source run says "dev".
import pkg from "../../package.json" with { type: "json" };

declare const __CTXC_VERSION__: string | undefined;
declare const __CTXC_TARGET__: string | undefined;
declare const __CTXC_COMMIT__: string | undefined;

export const VERSION: string = typeof __CTXC_VERSION__ === "string" ? __CTXC_VERSION__ : pkg.version;
export const TARGET: string = typeof __CTXC_TARGET__ === "string" ? __CTXC_TARGET__ : `source (bun-${process.platform}-${process.arch})`;
export const COMMIT: string = typeof __CTXC_COMMIT__ === "string" ? __CTXC_COMMIT__ : "dev";

export function versionLine(): string {
  return `ctxc ${VERSION} (${TARGET}, commit ${COMMIT}, bun ${Bun.version})`;
}
