"""TeX maths as plain Unicode text, for the places where it cannot be typeset.

Pages typeset contributor maths with KaTeX; meta descriptions, the search index, the
bibliography's filter text, drawings' labels and the plain-text reading lists cannot. There a
reader gets this module's approximation: ``x \\mapsto W_L\\,\\sigma(W_1 x)`` becomes
``x ↦ W_L σ(W₁ x)``. It never leaves TeX syntax behind (no backslash, brace, ``$`` or ``\\(``):
an unknown command becomes its name, a sub- or superscript that Unicode cannot write becomes
``_(…)`` or ``^(…)``.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["DELIMITED", "delimited_maths", "dollar_maths", "maths_text"]

_GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ", "varepsilon": "ε", "zeta": "ζ",
    "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν",
    "xi": "ξ", "pi": "π", "varpi": "ϖ", "rho": "ρ", "varrho": "ϱ", "sigma": "σ", "varsigma": "ς", "tau": "τ",
    "upsilon": "υ", "phi": "ϕ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
    "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ",
    "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
}  # fmt: skip
_SYMBOLS = {
    **_GREEK,
    "to": "→", "rightarrow": "→", "leftarrow": "←", "gets": "←", "mapsto": "↦", "Rightarrow": "⇒",
    "implies": "⇒", "Leftarrow": "⇐", "iff": "⇔", "Leftrightarrow": "⇔", "leftrightarrow": "↔",
    "uparrow": "↑", "downarrow": "↓", "hookrightarrow": "↪", "longrightarrow": "⟶",
    "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "ne": "≠", "neq": "≠", "ll": "≪", "gg": "≫",
    "lesssim": "≲", "gtrsim": "≳", "approx": "≈", "sim": "∼", "simeq": "≃", "cong": "≅", "equiv": "≡",
    "propto": "∝", "asymp": "≍", "in": "∈", "notin": "∉", "ni": "∋", "subset": "⊂", "subseteq": "⊆",
    "supset": "⊃", "supseteq": "⊇", "cup": "∪", "cap": "∩", "bigcup": "⋃", "bigcap": "⋂",
    "setminus": "∖", "emptyset": "∅", "varnothing": "∅", "forall": "∀", "exists": "∃", "neg": "¬",
    "lnot": "¬", "wedge": "∧", "land": "∧", "vee": "∨", "lor": "∨", "infty": "∞", "partial": "∂",
    "nabla": "∇", "sum": "∑", "prod": "∏", "int": "∫", "oint": "∮", "cdot": "·", "cdots": "⋯",
    "ldots": "…", "dots": "…", "vdots": "⋮", "ddots": "⋱", "times": "×", "div": "÷", "pm": "±",
    "mp": "∓", "circ": "∘", "bullet": "•", "star": "⋆", "ast": "∗", "otimes": "⊗", "oplus": "⊕",
    "odot": "⊙", "top": "⊤", "bot": "⊥", "perp": "⊥", "parallel": "∥", "mid": "|", "vert": "|",
    "lvert": "|", "rvert": "|", "Vert": "‖", "lVert": "‖", "rVert": "‖", "|": "‖", "langle": "⟨",
    "rangle": "⟩", "lceil": "⌈", "rceil": "⌉", "lfloor": "⌊", "rfloor": "⌋", "ell": "ℓ", "hbar": "ℏ",
    "Re": "ℜ", "Im": "ℑ", "aleph": "ℵ", "prime": "′", "dagger": "†", "angle": "∠", "triangle": "△",
    "square": "□", "colon": ":", "lbrace": "{", "rbrace": "}", "{": "{", "}": "}", "%": "%", "$": "$",
    "&": "&", "#": "#", "_": "_", "backslash": "∖", "sqrt": "√", "not": "¬", "dim": "dim",
}  # fmt: skip
#: Relations and arrows, set apart by spaces as TeX sets them.
_RELATIONS = frozenset({
    "to", "rightarrow", "leftarrow", "gets", "mapsto", "Rightarrow", "implies", "Leftarrow", "iff",
    "Leftrightarrow", "leftrightarrow", "hookrightarrow", "longrightarrow", "le", "leq", "ge", "geq", "ne",
    "neq", "ll", "gg", "lesssim", "gtrsim", "approx", "sim", "simeq", "cong", "equiv", "propto", "asymp",
    "in", "notin", "ni", "subset", "subseteq", "supset", "supseteq",
})
#: Commands that only change the look of their argument (or of what follows): dropped, their
#: argument kept.
_STYLE = frozenset({
    "mathrm", "mathit", "mathbf", "mathsf", "mathtt", "textrm", "textit", "textbf", "text", "mbox",
    "operatorname", "boldsymbol", "bm", "rm", "bf", "it", "sf", "tt", "displaystyle", "textstyle",
    "scriptstyle", "left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr",
    "biggl", "biggr", "middle", "limits", "nolimits", "mathop", "mathrel", "mathbin", "mathord",
})
_SPACES = {",": " ", ";": " ", ":": " ", "!": "", " ": " ", "\\": " ", "quad": " ", "qquad": " ", "enspace": " "}
_BLACKBOARD = {"R": "ℝ", "N": "ℕ", "Z": "ℤ", "Q": "ℚ", "C": "ℂ", "P": "ℙ", "E": "𝔼", "H": "ℍ", "S": "𝕊",
               "1": "𝟙", "T": "𝕋", "F": "𝔽"}
_SUPERSCRIPT = dict(zip("0123456789+-=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVW*′",
                        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂ*′", strict=True))
_SUBSCRIPT = dict(zip("0123456789+-=()aeijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ", strict=True))
_ACCENTS = {"hat": "\u0302", "widehat": "\u0302", "tilde": "\u0303", "widetilde": "\u0303", "bar": "\u0304",
            "overline": "\u0305", "vec": "\u20d7", "dot": "\u0307", "ddot": "\u0308"}
#: Marks an operator's name (``\log``): a space is put between it and a letter or digit before it.
_WORD = "\x00"
_TOKEN = re.compile(r"\\([A-Za-z]+|.)|([{}^_])|(\s+)|(.)", re.S)


_SILENT_SPACE = frozenset(name for name in (*_SYMBOLS, *_STYLE, *_ACCENTS) if name.isalpha())


def _tokens(tex: str) -> list[tuple[str, str]]:
    out = []
    for m in _TOKEN.finditer(tex):
        if m.group(1) is not None:
            out.append(("cmd", m.group(1)))
        elif m.group(2) is not None:
            out.append((m.group(2), m.group(2)))
        elif m.group(3) is not None:
            # TeX ignores the space after a control word: kept only after a name shown as a word
            # (\log x), so that it stays apart from what follows.
            if not (out and out[-1][0] == "cmd" and out[-1][1] in _SILENT_SPACE):
                out.append(("space", " "))
        else:
            out.append(("char", m.group(4)))
    return out


class _Reader:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.i = 0

    def done(self) -> bool:
        return self.i >= len(self.tokens)

    def argument(self) -> str:
        """The next group (``{…}``) or single token, as text."""
        while not self.done() and self.tokens[self.i][0] == "space":
            self.i += 1
        if self.done():
            return ""
        kind, _value = self.tokens[self.i]
        if kind == "{":
            self.i += 1
            return self.sequence(until="}")
        if kind == "}":  # an argument missing before the end of its group
            return ""
        return self.one()

    def sequence(self, until: str | None = None) -> str:
        parts = []
        while not self.done():
            if self.tokens[self.i][0] == until:
                self.i += 1
                break
            parts.append(self.one())
        return "".join(parts)

    def one(self) -> str:
        kind, value = self.tokens[self.i]
        self.i += 1
        if kind == "{":
            return self.sequence(until="}")
        if kind == "}":
            return ""
        if kind in ("^", "_"):
            return _script(self.argument(), _SUPERSCRIPT if kind == "^" else _SUBSCRIPT, kind)
        if kind == "space":
            return " "
        if kind == "char":
            return {"~": " ", "'": "′"}.get(value, value)
        return self.command(value)

    def command(self, name: str) -> str:
        if name in _SPACES:
            return _SPACES[name]
        if name in ("frac", "tfrac", "dfrac", "cfrac"):
            top, bottom = self.argument(), self.argument()
            return f"{_wrap(top)}/{_wrap(bottom)}"
        if name == "binom":
            top, bottom = self.argument(), self.argument()
            return f"C({top}, {bottom})"
        if name == "sqrt":
            return "√" + _wrap(self.argument())
        if name == "mathbb":
            arg = self.argument()
            return "".join(_BLACKBOARD.get(c, c) for c in arg)
        if name in ("mathcal", "mathscr", "mathfrak"):
            return self.argument()
        if name in _ACCENTS:
            arg = self.argument()
            return arg + _ACCENTS[name] if len(arg) == 1 else arg
        if name in _STYLE:
            return ""  # the argument, if any, follows as a group and is read as such
        if name in _RELATIONS:
            return f" {_SYMBOLS[name]} "
        if name in _SYMBOLS:
            return _SYMBOLS[name]
        return _WORD + name  # \log, \max, \sin, ... and any command not known here: its name


def _wrap(value: str) -> str:
    value = value.strip()
    return value if len(value) <= 1 or re.fullmatch(r"[\w.′]+", value) else f"({value})"


def _script(value: str, table: dict[str, str], mark: str) -> str:
    value = value.strip()
    if value and all(c in table for c in value):
        return "".join(table[c] for c in value)
    return f"{mark}{_wrap(value)}" if value else ""


@lru_cache(maxsize=1 << 14)
def maths_text(tex: str) -> str:
    """TeX maths (without its delimiters) as plain Unicode text."""
    text = _Reader(_tokens(tex)).sequence()
    text = re.sub(rf"(?<=\w){_WORD}", " ", text).replace(_WORD, "")
    return " ".join(text.replace("\\", "∖").split())


#: The maths that Arithmatex marked in rendered Markdown: always between ``\(…\)`` or ``\[…\]``.
DELIMITED = re.compile(r"\\\((.+?)\\\)|\\\[(.+?)\\\]", re.S)


#: Maths in BibTeX: between unescaped dollar signs (a literal dollar is ``\\$``).
DOLLARS = re.compile(r"(?<!\\)\$(.+?)(?<!\\)\$", re.S)


def dollar_maths(value: str) -> str:
    """``value`` (BibTeX text, braces already read) with its ``$…$`` maths as plain Unicode text."""
    return DOLLARS.sub(lambda m: maths_text(m.group(1)), value)


def delimited_maths(value: str) -> str:
    """``value`` (text of rendered Markdown) with its marked maths as plain Unicode text."""
    return DELIMITED.sub(lambda m: maths_text(m.group(1) if m.group(1) is not None else m.group(2)), value)

