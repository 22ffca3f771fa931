import { describe, expect, test } from "bun:test";
import { decodeModel, encodeModel, ModelFileError, type ModelHeader } from "../../../src/compress/extractive/model-file.ts";

const header: Omit<ModelHeader, "format" | "storage" | "nnz"> = {
  featureVersion: 1,
  bits: 12,
  rates: { code: 0.5, nl: 0.4, mixed: 0.45 },
  thresholds: { code: 0.1 },
  teacherRates: { code: 0.5, nl: 0.4, mixed: 0.45 },
  force: ["numbers"],
  trained: { note: "test" },
};

describe("model file", () => {
  test("dense and sparse weights round-trip exactly", () => {
    const dense = new Float32Array(1 << 12).map((_, i) => (i % 3 === 0 ? i / 7 : -i / 11));
    const sparse = new Float32Array(1 << 12);
    sparse[5] = 1.5;
    sparse[4000] = -2.25;
    for (const [w, storage] of [[dense, "dense"], [sparse, "sparse"]] as const) {
      const bytes = encodeModel(header, w);
      const back = decodeModel(bytes, "m.bin");
      expect(back.header.storage).toBe(storage);
      expect(back.header.thresholds).toEqual({ code: 0.1 });
      expect([...back.weights]).toEqual([...w]);
    }
  });

  test("bad files: empty, wrong magic, truncated, trailing bytes, altered, newer format", () => {
    const good = encodeModel(header, new Float32Array(1 << 12).fill(0.5));
    const fails = (b: Uint8Array, re: RegExp) => {
      expect(() => decodeModel(b, "runs/x/model.bin")).toThrow(ModelFileError);
      expect(() => decodeModel(b, "runs/x/model.bin")).toThrow(re);
    };
    fails(new Uint8Array(), /runs\/x\/model\.bin: the model file is empty/);
    fails(new TextEncoder().encode("{\"not\": \"a model\"} padding padding"), /bad magic bytes/);
    fails(good.subarray(0, good.length - 1), /truncated/);
    fails(good.subarray(0, 30), /truncated/);
    fails(new Uint8Array([...good, 0, 0]), /unexpected bytes/);
    const altered = good.slice();
    altered[200] = altered[200]! ^ 1;
    fails(altered, /checksum mismatch/);
    const newer = good.slice();
    new DataView(newer.buffer).setUint32(8, 2, true);
    fails(newer, /model format 2 is newer than this ctxc reads \(up to 1\)/);
  });
});
