"""The paper's prose types no number: every numeral comes from ``{{< var >}}``, every direction is a claim.

:func:`check_prose` reads ``paper.qmd`` as a reader sees it and refuses two
things, each with one line naming the line, column and word:

* a **numeral typed in the prose**: digits (``12``, ``2,696,001``, ``5.4``)
  and number words (``three``, ``six``, ``second``, ``twice``), anywhere outside
  a ``{{< var >}}`` shortcode, whether or not it sits inside a marked claim. A
  number the text needs is written by the pipeline into ``_variables.yml``
  (:mod:`analysis.paper.variables`), and one that a claim asserts is checked by
  that claim's check.
* a **direction outside a claim**: words such as "rose", "above", "larger" or
  "most" assert something about the data, so each must sit inside a
  ``[...]{.claim key="..."}`` span, whose check (:mod:`analysis.paper.claims`)
  computes it.

Not prose, and so not read: shortcodes, inline code, attributes (``{#fig-x}``,
``{.claim key="..."}``), link and image targets, citation keys and
cross-references (``@walkfree2023``, ``@fig-map``), and the keys of the YAML
front matter. The exceptions are the short list :data:`ALLOWED`: names that
contain a numeral (an edition held, a standard, a unit), each with its reason,
and :data:`PLAIN_DIRECTIONS`, the few phrases where a direction word defines a
quantity rather than asserting one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import AnalysisError

_CARDINALS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
              "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy "
              "eighty ninety hundred thousand").split()
_ORDINALS = ("first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
             "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth "
             "twentieth").split()
#: Words that are numbers: cardinals, ordinals and multiples.
NUMBER_WORDS = (*_CARDINALS, *_ORDINALS, "twice", "thrice", "half", "halves", "single", "double",
                "triple", "dozen")

#: Words that assert a direction or an order in the data: each must sit in a checked claim.
DIRECTION_WORDS = ("rose", "rise", "rises", "risen", "rising", "fell", "fall", "falls", "fallen",
                   "falling", "increase", "increased", "increases", "decrease", "decreased",
                   "decreases", "above", "below", "exceed", "exceeds", "exceeded", "larger",
                   "largest", "smaller", "smallest", "higher", "highest", "lower", "lowest", "more",
                   "most", "less", "least", "fewer", "greater", "greatest", "wider", "widest",
                   "narrower", "narrowest", "upward", "downward")

#: Phrases that contain a numeral but are names, not quantities, with the reason each is allowed.
ALLOWED: dict[str, str] = {
    "GSI 2016": "the name of an edition of the Global Slavery Index held in data/raw",
    "GSI 2018": "the name of an edition of the Global Slavery Index held in data/raw",
    "GSI 2023": "the name of an edition of the Global Slavery Index held in data/raw",
    "WPP 2019": "the name of the UN World Population Prospects edition held in data/raw",
    "ISO 3166-1": "the name of the standard of country codes",
    "1:110m": "the name of the Natural Earth data set (its scale)",
    "sha256": "the name of a checksum",
    "per 1,000": "the unit of prevalence",
    "Tier 3": "the name of the lowest tier of the TIP report",
}

#: Phrases where a direction word defines a quantity and asserts nothing about the data.
PLAIN_DIRECTIONS: dict[str, str] = {
    "the larger value is": "defines a ratio (the larger value over the smaller), asserts no direction",
    "times the smaller": "defines a ratio (the larger value over the smaller), asserts no direction",
    "more than rounding": "compares a difference with its rounding bound, which the tables give",
    "a higher score means a greater vulnerability": "defines the scale of a score",
    "the highest prevalence ranks": "defines the order of a ranking",
    "draw exceeds": "defines the event whose probability is given",
    "may be larger": "a hypothesis, not a finding",
    "cannot explain a sum above": "an argument from the definition of a sum",
    "would have to fall by": "a counterfactual, whose size a variable gives",
}

_SHORTCODE = re.compile(r"\{\{<.*?>\}\}", re.DOTALL)
_CODE = re.compile(r"`[^`\n]*`")
_FENCE = re.compile(r"^```.*?^```[ \t]*$", re.DOTALL | re.MULTILINE)
_ATTRIBUTES = re.compile(r"\{[#.][^}\n]*\}")
_TARGET = re.compile(r"\]\([^)\n]*\)")
_CITATION = re.compile(r"-?@[\w:.-]*\w")
_URL = re.compile(r"https?://\S+")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_YAML_KEY = re.compile(r"^[A-Za-z_-]+:", re.MULTILINE)
_DIGITS = re.compile(r"(?<![\w.])[−-]?\d[\d,.]*(?:\d)?(?:st|nd|rd|th|s)?(?![\w])")
_NUMBER_WORD = re.compile(r"\b(" + "|".join(NUMBER_WORDS) + r")\b", re.IGNORECASE)
_DIRECTION_WORD = re.compile(r"\b(" + "|".join(DIRECTION_WORDS) + r")\b", re.IGNORECASE)
_CLAIM_END = re.compile(r'\]\{\.claim\s+key="[^"]+"\}')


@dataclass(frozen=True)
class Finding:
    """A word the checker refuses: where it is (1-based line and column) and what it is."""

    line: int
    column: int
    word: str
    kind: str  # "numeral" or "direction"


def _blank(text: str, pattern: re.Pattern) -> str:
    """``text`` with every match of ``pattern`` replaced by spaces (line breaks kept), so positions hold."""
    return pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def prose(text: str) -> str:
    """``text`` (the source of the paper) with everything that is not prose blanked out, positions kept."""
    for pattern in (_COMMENT, _FENCE, _SHORTCODE, _CODE, _ATTRIBUTES, _TARGET, _URL, _CITATION):
        text = _blank(text, pattern)
    front = re.match(r"^---\n.*?\n---\n", text, re.DOTALL)
    if front:
        text = _blank(text[:front.end()], _YAML_KEY) + text[front.end():]
    return text


def claim_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of every ``[...]{.claim key="..."}`` span of ``text``, brackets included."""
    spans = []
    for match in _CLAIM_END.finditer(text):
        depth, i = 0, match.start()
        while i >= 0:
            if text[i] == "]":
                depth += 1
            elif text[i] == "[":
                depth -= 1
                if depth == 0:
                    break
            i -= 1
        if i < 0:
            raise AnalysisError(f"paper.qmd: the claim span ending at offset {match.start()} has no "
                                "opening bracket")
        spans.append((i, match.end()))
    return spans


def _phrase(phrase: str, flags: int = 0) -> re.Pattern:
    """A pattern for ``phrase`` as a whole, its words separated by any white space (line breaks too)."""
    words = r"\s+".join(re.escape(w) for w in phrase.split())
    return re.compile(r"(?<![\w-])" + words + r"(?![\w-])", flags)


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def find_typed(text: str) -> list[Finding]:
    """Every numeral typed in the prose of ``text``, and every direction word outside a claim span."""
    plain = prose(text)
    for phrase in ALLOWED:
        plain = _phrase(phrase).sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), plain)
    found = [(m.start(), m.group(0), "numeral") for m in _DIGITS.finditer(plain)]
    found += [(m.start(), m.group(0), "numeral") for m in _NUMBER_WORD.finditer(plain)]
    claims = claim_spans(text)
    directions = plain
    for phrase in PLAIN_DIRECTIONS:
        directions = _phrase(phrase, re.IGNORECASE).sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)),
                                                        directions)
    for m in _DIRECTION_WORD.finditer(directions):
        if not any(start < m.start() < end for start, end in claims):
            found.append((m.start(), m.group(0), "direction"))
    return [Finding(*_position(text, offset), word, kind) for offset, word, kind in sorted(found)]


def check_prose(text: str, source: str = "paper.qmd") -> None:
    """Refuse ``text`` when its prose types a numeral or states a direction outside a claim.

    Raises :class:`AnalysisError` with one line naming the first such word,
    its line and column in ``source``, and how many more there are.
    """
    found = find_typed(text)
    if not found:
        return
    first = found[0]
    if first.kind == "numeral":
        why = ("is a number typed in the prose: write it with {{< var name >}} from the pipeline "
               "(analysis.paper.variables), or, for a name such as 'GSI 2023', add it with its reason "
               "to ALLOWED in analysis.paper.numerals")
    else:
        why = ("states a direction outside a checked claim: mark the sentence as "
               '[...]{.claim key="..."} and give it a check in analysis.paper.claims')
    more = f" ({len(found) - 1} more: " + ", ".join(
        f"{f.word!r} at line {f.line}" for f in found[1:6]) + (", ..." if len(found) > 6 else "") + ")"
    raise AnalysisError(f"{source}, line {first.line}, column {first.column}: {first.word!r} {why}"
                        + (more if len(found) > 1 else ""))
