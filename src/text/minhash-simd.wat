;; MinHash signatures with WebAssembly SIMD: the same values as minhashSignature's JavaScript loop
;; (src/text/minhash.ts), sixteen permutations per pass over the shingles, four per vector.
;; Slot i of a signature is the unsigned minimum over the shingles x of (x ^ seed_i) * mul_i; as
;; there, x ^ 0x80000000 lets the signed minimum stand for the unsigned one.
;; Memory (bytes): seeds at 0 and multipliers at 1024 (256 permutations each, written by the
;; host), the signature out at 2048, the shingles from 4096 (the host grows memory for long lists).
;; Compiled to minhash-simd.wasm by build/minhash-wasm.ts (wabt).
(module
  (memory (export "memory") 1)
  (func (export "minhash") (param $n i32) (param $perms i32)
    (local $p i32) (local $k i32) (local $end i32) (local $x v128) (local $flip v128)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local $m0 v128) (local $m1 v128) (local $m2 v128) (local $m3 v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local.set $flip (i32x4.splat (i32.const 0x80000000)))
    (local.set $end (i32.add (i32.const 4096) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $perm
        (br_if $done (i32.ge_u (local.get $p) (local.get $perms)))
        (local.set $s0 (v128.load offset=0 (i32.shl (local.get $p) (i32.const 2))))
        (local.set $s1 (v128.load offset=16 (i32.shl (local.get $p) (i32.const 2))))
        (local.set $s2 (v128.load offset=32 (i32.shl (local.get $p) (i32.const 2))))
        (local.set $s3 (v128.load offset=48 (i32.shl (local.get $p) (i32.const 2))))
        (local.set $m0 (v128.load offset=1024 (i32.shl (local.get $p) (i32.const 2))))
        (local.set $m1 (v128.load offset=1040 (i32.shl (local.get $p) (i32.const 2))))
        (local.set $m2 (v128.load offset=1056 (i32.shl (local.get $p) (i32.const 2))))
        (local.set $m3 (v128.load offset=1072 (i32.shl (local.get $p) (i32.const 2))))
        (local.set $a0 (i32x4.splat (i32.const 0x7fffffff)))
        (local.set $a1 (local.get $a0))
        (local.set $a2 (local.get $a0))
        (local.set $a3 (local.get $a0))
        (local.set $k (i32.const 4096))
        (block $last
          (loop $shingle
            (br_if $last (i32.ge_u (local.get $k) (local.get $end)))
            (local.set $x (v128.load32_splat (local.get $k)))
            (local.set $a0 (i32x4.min_s (local.get $a0) (v128.xor (i32x4.mul (v128.xor (local.get $x) (local.get $s0)) (local.get $m0)) (local.get $flip))))
            (local.set $a1 (i32x4.min_s (local.get $a1) (v128.xor (i32x4.mul (v128.xor (local.get $x) (local.get $s1)) (local.get $m1)) (local.get $flip))))
            (local.set $a2 (i32x4.min_s (local.get $a2) (v128.xor (i32x4.mul (v128.xor (local.get $x) (local.get $s2)) (local.get $m2)) (local.get $flip))))
            (local.set $a3 (i32x4.min_s (local.get $a3) (v128.xor (i32x4.mul (v128.xor (local.get $x) (local.get $s3)) (local.get $m3)) (local.get $flip))))
            (local.set $k (i32.add (local.get $k) (i32.const 4)))
            (br $shingle)))
        (v128.store offset=2048 (i32.shl (local.get $p) (i32.const 2)) (v128.xor (local.get $a0) (local.get $flip)))
        (v128.store offset=2064 (i32.shl (local.get $p) (i32.const 2)) (v128.xor (local.get $a1) (local.get $flip)))
        (v128.store offset=2080 (i32.shl (local.get $p) (i32.const 2)) (v128.xor (local.get $a2) (local.get $flip)))
        (v128.store offset=2096 (i32.shl (local.get $p) (i32.const 2)) (v128.xor (local.get $a3) (local.get $flip)))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $perm))))
)
