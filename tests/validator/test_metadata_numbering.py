"""Metadata and attribute groups are read by the numbers the module gives them.

LLVM prints a lone instruction with a slot tracker of its own, which numbers only some of the
module's metadata: `@f`'s `!range !1` printed alone came out as `!range !0`, which in the module
is `@g`'s node, and the validator then read the wrong range (a false "correct").  Instruction
text now comes from the one print of the module.
"""
from __future__ import annotations

import re

from lazycc.ir.model import read_module
from lazycc.validator import Bounds, Verdict
from lazycc.validator.tv import check_texts

SRC = """
define i8 @g(ptr %p) {
  %v = load i8, ptr %p, align 1, !range !0
  ret i8 %v
}

define i8 @f(ptr %p) {
  %v = load i8, ptr %p, align 1, !range !1
  ret i8 %v
}

!0 = !{i8 0, i8 2}
!1 = !{i8 0, i8 100}
"""

# @f's source returns the byte when it is below 100; the target returns 7 for 2..99
TGT = """
define i8 @g(ptr %p) {
  %v = load i8, ptr %p, align 1, !range !0
  ret i8 %v
}

define i8 @f(ptr %p) {
  %v = load i8, ptr %p, align 1
  %c = icmp ult i8 %v, 2
  %r = select i1 %c, i8 %v, i8 7
  ret i8 %r
}

!0 = !{i8 0, i8 2}
"""


def test_wrong_range_node_is_not_read() -> None:
    verdicts = {r.src: r.verdict for r in check_texts(SRC, TGT, Bounds())}
    assert verdicts == {"g": Verdict.VERIFIED, "f": Verdict.INCORRECT}, verdicts


def test_instruction_text_is_the_module_print() -> None:
    for text in (SRC, TGT):
        m = read_module(text)
        printed = m.text
        for name in reversed(list(m.functions)):          # the later function first
            for ins in (i for b in m.functions[name].blocks for i in b.insts):
                assert "  " + ins.text in printed, ins.text
                for ref in re.findall(r"!range (!\d+)", ins.text):
                    node = re.search("^" + ref + r" = (.*)$", printed, re.M)
                    assert node and ("100" in node.group(1)) == (name == "f"), (name, ins.text)


def test_switch_cases_stay_with_their_instruction() -> None:
    m = read_module("""
define i32 @s(i32 %x) {
  switch i32 %x, label %d [
    i32 0, label %a
    i32 1, label %a
  ]
a:
  ret i32 1
d:
  ret i32 0
}
""")
    [sw] = m.functions["s"].blocks[0].insts
    assert sw.opcode == "switch" and sw.text.count("label %a") == 2 and sw.text.endswith("]")
