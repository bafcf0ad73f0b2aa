;; Redis's CRC-64 (crc64.c: the Jones polynomial, reflected, initial value 0,
;; no final xor), slice-by-8 on native 64-bit integers, as crcspeed does it.
;; The source of crc64Wasm.ts, which `node scripts/build-crc64-wasm.mjs`
;; regenerates; the JavaScript in crc64.ts is the reference it is tested against.
;;
;; Memory: eight tables of 256 little-endian u64 from 0 (table k, at k * 2048,
;; is the effect of a byte followed by k zero bytes), filled by the host; the
;; register at 16384; the bytes to fold in from 65536 on.
(module
  (memory (export "memory") 2)

  ;; Folds memory[ptr, ptr + len) into the register.
  (func (export "update") (param $ptr i32) (param $len i32)
    (local $crc i64) (local $x i64) (local $end i32)
    (local.set $crc (i64.load (i32.const 16384)))
    (local.set $end (i32.add (local.get $ptr) (local.get $len)))
    ;; Eight bytes at a time: the oldest byte (lowest) has seven bytes after it.
    (block $wordsDone
      (loop $words
        (br_if $wordsDone
          (i32.gt_u (i32.add (local.get $ptr) (i32.const 8)) (local.get $end)))
        (local.set $x (i64.xor (local.get $crc) (i64.load (local.get $ptr))))
        (local.set $crc
          (i64.xor
            (i64.xor
              (i64.xor
                (i64.load offset=14336 (i32.shl (i32.and (i32.wrap_i64 (local.get $x)) (i32.const 255)) (i32.const 3)))
                (i64.load offset=12288 (i32.shl (i32.and (i32.wrap_i64 (i64.shr_u (local.get $x) (i64.const 8))) (i32.const 255)) (i32.const 3))))
              (i64.xor
                (i64.load offset=10240 (i32.shl (i32.and (i32.wrap_i64 (i64.shr_u (local.get $x) (i64.const 16))) (i32.const 255)) (i32.const 3)))
                (i64.load offset=8192 (i32.shl (i32.and (i32.wrap_i64 (i64.shr_u (local.get $x) (i64.const 24))) (i32.const 255)) (i32.const 3)))))
            (i64.xor
              (i64.xor
                (i64.load offset=6144 (i32.shl (i32.and (i32.wrap_i64 (i64.shr_u (local.get $x) (i64.const 32))) (i32.const 255)) (i32.const 3)))
                (i64.load offset=4096 (i32.shl (i32.and (i32.wrap_i64 (i64.shr_u (local.get $x) (i64.const 40))) (i32.const 255)) (i32.const 3))))
              (i64.xor
                (i64.load offset=2048 (i32.shl (i32.and (i32.wrap_i64 (i64.shr_u (local.get $x) (i64.const 48))) (i32.const 255)) (i32.const 3)))
                (i64.load offset=0 (i32.shl (i32.wrap_i64 (i64.shr_u (local.get $x) (i64.const 56))) (i32.const 3)))))))
        (local.set $ptr (i32.add (local.get $ptr) (i32.const 8)))
        (br $words)))
    ;; The last few bytes one at a time, with table 0.
    (block $bytesDone
      (loop $bytes
        (br_if $bytesDone (i32.ge_u (local.get $ptr) (local.get $end)))
        (local.set $crc
          (i64.xor
            (i64.load
              (i32.shl
                (i32.and
                  (i32.xor (i32.wrap_i64 (local.get $crc)) (i32.load8_u (local.get $ptr)))
                  (i32.const 255))
                (i32.const 3)))
            (i64.shr_u (local.get $crc) (i64.const 8))))
        (local.set $ptr (i32.add (local.get $ptr) (i32.const 1)))
        (br $bytes)))
    (i64.store (i32.const 16384) (local.get $crc))))
