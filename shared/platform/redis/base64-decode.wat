;; Base64 decoding from bytes to bytes, in place, for the Redis bulk reader. Assemble
;; after editing with:
;;   node scripts/build-wasm.ts
(module
  (memory (export "memory") 1)
  ;; Bytes 0-255: each character's 6-bit value, 0xff where it is not in the alphabet.
  (data (i32.const 0)
    "\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff"
    "\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\3e\ff\ff\ff\3f\34\35\36\37\38\39\3a\3b\3c\3d\ff\ff\ff\ff\ff\ff"
    "\ff\00\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e\0f\10\11\12\13\14\15\16\17\18\19\ff\ff\ff\ff\ff"
    "\ff\1a\1b\1c\1d\1e\1f\20\21\22\23\24\25\26\27\28\29\2a\2b\2c\2d\2e\2f\30\31\32\33\ff\ff\ff\ff\ff"
    "\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff"
    "\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff"
    "\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff"
    "\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff")

  ;; Decodes the base64 text at [$at, $at + $length) over itself, from $at on, and
  ;; returns the number of bytes, or -1 when the text is not padded base64.
  (func (export "decode") (param $at i32) (param $length i32) (result i32)
    (local $src i32) (local $end i32) (local $out i32) (local $word i32) (local $invalid i32)
    (local $a i32) (local $b i32) (local $c i32) (local $d i32) (local $padding i32)
    (local $text v128) (local $high v128) (local $errors v128)
    (if (i32.and (local.get $length) (i32.const 3)) (then (return (i32.const -1))))
    (if (i32.eqz (local.get $length)) (then (return (i32.const 0))))
    (local.set $src (local.get $at))
    (local.set $out (local.get $at))
    (local.set $end (i32.add (local.get $at) (local.get $length)))
    ;; A padded last group ('xx==' or 'xxx=') is decoded after the loop.
    (if (i32.eq (i32.load8_u (i32.sub (local.get $end) (i32.const 1))) (i32.const 61))
      (then
        (local.set $padding (i32.const 1))
        (if (i32.eq (i32.load8_u (i32.sub (local.get $end) (i32.const 2))) (i32.const 61))
          (then (local.set $padding (i32.const 2))))
        (local.set $end (i32.sub (local.get $end) (i32.const 4)))))
    ;; Sixteen characters to twelve bytes a step. The table in memory takes a load per
    ;; character; instead each character's high and low nibbles index two 16-byte
    ;; tables whose AND is nonzero only outside the alphabet, and its high nibble (with
    ;; '/' moved off '+' in the same column) picks what to add to reach its value.
    ;; Bad characters, '=' among them, are only gathered here and answered at the end:
    ;; a failed decode's output is never read. The 16-byte store runs 4 bytes past the
    ;; 12 decoded, but output trails input by a quarter, so those bytes were read.
    ;; The loop's test is at its bottom: at the top it cost V8 a fifth more time.
    (if (i32.le_u (i32.add (local.get $src) (i32.const 16)) (local.get $end))
      (then
        (loop $block
          (local.set $text (v128.load (local.get $src)))
          (local.set $high (i8x16.shr_u (local.get $text) (i32.const 4)))
          (local.set $errors
            (v128.or (local.get $errors)
              (v128.and
                (i8x16.swizzle
                  (v128.const i8x16 0x15 0x11 0x11 0x11 0x11 0x11 0x11 0x11 0x11 0x11 0x13 0x1a 0x1b 0x1b 0x1b 0x1a)
                  (v128.and (local.get $text) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)))
                (i8x16.swizzle
                  (v128.const i8x16 0x10 0x10 0x01 0x02 0x04 0x08 0x04 0x08 0x10 0x10 0x10 0x10 0x10 0x10 0x10 0x10)
                  (local.get $high)))))
          (local.set $text
            (i8x16.add (local.get $text)
              (i8x16.swizzle
                (v128.const i8x16 0 16 19 4 -65 -65 -71 -71 0 0 0 0 0 0 0 0)
                (i8x16.add (local.get $high)
                  (i8x16.eq (local.get $text) (v128.const i8x16 47 47 47 47 47 47 47 47 47 47 47 47 47 47 47 47))))))
          ;; Pairs of values to 12 bits by shifts, as there is no multiply-add of bytes,
          ;; then pairs of those to a group's 24 bits by one of 16-bit lanes; these come
          ;; out highest byte first, so the shuffle reverses each group as it packs them.
          (local.set $text
            (i32x4.dot_i16x8_s
              (v128.or
                (i16x8.shr_u (local.get $text) (i32.const 8))
                (i16x8.shl (v128.and (local.get $text) (v128.const i16x8 255 255 255 255 255 255 255 255)) (i32.const 6)))
              (v128.const i16x8 4096 1 4096 1 4096 1 4096 1)))
          (v128.store (local.get $out)
            (i8x16.shuffle 2 1 0 6 5 4 10 9 8 14 13 12 0 0 0 0 (local.get $text) (local.get $text)))
          (local.set $src (i32.add (local.get $src) (i32.const 16)))
          (local.set $out (i32.add (local.get $out) (i32.const 12)))
          (br_if $block (i32.le_u (i32.add (local.get $src) (i32.const 16)) (local.get $end))))))
    (block $done
      (loop $group
        (br_if $done (i32.ge_u (local.get $src) (local.get $end)))
        (local.set $word (i32.load (local.get $src)))
        (local.set $a (i32.load8_u (i32.and (local.get $word) (i32.const 255))))
        (local.set $b (i32.load8_u (i32.and (i32.shr_u (local.get $word) (i32.const 8)) (i32.const 255))))
        (local.set $c (i32.load8_u (i32.and (i32.shr_u (local.get $word) (i32.const 16)) (i32.const 255))))
        (local.set $d (i32.load8_u (i32.shr_u (local.get $word) (i32.const 24))))
        (local.set $invalid
          (i32.or (local.get $invalid)
            (i32.or (i32.or (local.get $a) (local.get $b)) (i32.or (local.get $c) (local.get $d)))))
        ;; Three bytes, first lowest, as one 4-byte store: its fourth byte lands where the
        ;; next group's first goes (or, for the last group, on text already decoded).
        (i32.store (local.get $out)
          (i32.or
            (i32.or (i32.shl (local.get $a) (i32.const 2)) (i32.shr_u (local.get $b) (i32.const 4)))
            (i32.or
              (i32.shl
                (i32.and
                  (i32.or (i32.shl (local.get $b) (i32.const 4)) (i32.shr_u (local.get $c) (i32.const 2)))
                  (i32.const 255))
                (i32.const 8))
              (i32.shl
                (i32.and (i32.or (i32.shl (local.get $c) (i32.const 6)) (local.get $d)) (i32.const 255))
                (i32.const 16)))))
        (local.set $src (i32.add (local.get $src) (i32.const 4)))
        (local.set $out (i32.add (local.get $out) (i32.const 3)))
        (br $group)))
    (if (local.get $padding)
      (then
        (local.set $a (i32.load8_u (i32.load8_u (local.get $src))))
        (local.set $b (i32.load8_u (i32.load8_u offset=1 (local.get $src))))
        (local.set $invalid (i32.or (local.get $invalid) (i32.or (local.get $a) (local.get $b))))
        (i32.store8 (local.get $out)
          (i32.or (i32.shl (local.get $a) (i32.const 2)) (i32.shr_u (local.get $b) (i32.const 4))))
        (local.set $out (i32.add (local.get $out) (i32.const 1)))
        (if (i32.eq (local.get $padding) (i32.const 1))
          (then
            (local.set $c (i32.load8_u (i32.load8_u offset=2 (local.get $src))))
            (local.set $invalid (i32.or (local.get $invalid) (local.get $c)))
            (i32.store8 (local.get $out)
              (i32.or (i32.shl (local.get $b) (i32.const 4)) (i32.shr_u (local.get $c) (i32.const 2))))
            (local.set $out (i32.add (local.get $out) (i32.const 1)))))))
    (if (i32.or (i32.and (local.get $invalid) (i32.const 128)) (v128.any_true (local.get $errors)))
      (then (return (i32.const -1))))
    (i32.sub (local.get $out) (local.get $at))))
