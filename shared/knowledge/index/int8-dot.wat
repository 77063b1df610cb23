;; Dot products of one int16 query with many int8 rows, four lanes at a time (WASM SIMD).
;; Source of the bytes in int8-dot-kernel.ts; rebuild them with
;;   node scripts/build-wasm.ts
(module
  (memory (export "memory") 1)
  ;; For each of `rows` rows of `stride` int8 values starting at `values` (stride a
  ;; multiple of 16), stores the row's dot product with the `stride` int16 values at
  ;; `query` as an int32 at `out + 4 * row`. The caller keeps the sums below 2^31.
  (func (export "dots")
    (param $query i32) (param $values i32) (param $stride i32) (param $rows i32) (param $out i32)
    (local $r i32) (local $j i32) (local $row i32) (local $q i32) (local $acc v128) (local $v v128)
    (local.set $row (local.get $values))
    (block $done
      (loop $each_row
        (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (local.set $j (i32.const 0))
        (local.set $q (local.get $query))
        (block $row_done
          (loop $each_block
            (br_if $row_done (i32.ge_u (local.get $j) (local.get $stride)))
            (local.set $v (v128.load (i32.add (local.get $row) (local.get $j))))
            (local.set $acc
              (i32x4.add (local.get $acc)
                (i32x4.add
                  (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $v)) (v128.load (local.get $q)))
                  (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $v)) (v128.load offset=16 (local.get $q))))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (local.set $q (i32.add (local.get $q) (i32.const 32)))
            (br $each_block)))
        (i32.store
          (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 2)))
          (i32.add
            (i32.add (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc)))
            (i32.add (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc)))))
        (local.set $row (i32.add (local.get $row) (local.get $stride)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $each_row)))))
