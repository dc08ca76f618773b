"""Proposed redactions in a text: names of people in the register, e-mail addresses, telephone
numbers, postcodes and the reviewer's added terms (issue 15).

Plain data in, plain data out: ``Finder(people=[RegisteredPerson(...)], ...).find(text)`` gives the
``Found`` spans, sorted and not overlapping (the longest wins). The reviewer decides them in bulk by
``Found.term``: a person's name as in the register, an address lower-cased, a number's digits, a
postcode written the standard way, or the added term as typed.

The rules for names, and why:

- A full name ("Fiona Reid", "FIONA REID", "Fiona J. Reid", "Fiona\\nReid" from a PDF, "F. Reid") and
  a surname after a title ("Mr Reid", "DCI Reid", "Det. Supt Reid"; the title starts with a capital)
  are always proposed: nothing else reads like that.
- A surname on its own is proposed when it is capitalised ("Reid", "REID"; never "reid").
- A forename on its own ("Fiona") is proposed when capitalised and only when a surname or full name of
  a person with that forename stands within ``NEARBY`` characters: a forename alone names nobody in
  particular.
- A surname or forename that is also a common English word ("Will", "May", "Hope", "Young", "Brown")
  is proposed on its own only mid-sentence: after a letter, digit, comma, semicolon or "&" (line
  breaks between do not matter: PDF text wraps), and not in capitals.
  "Will circulate the paper." and "YOUNG PEOPLE" are not names; "agreed that Will would" is.
- A name stands as a whole word, not next to a letter, digit or hyphen nor after a letter and an
  apostrophe: "Hay" is not in "Hayes", "haystack" or "Hay-Smith", "Neill" not in "O'Neill", "Scott"
  not in "Police Scotland"; a possessive ("Reid's") is proposed without its "'s". Apostrophes may be
  typographic (O’Neill), accents left out ("Sean" for "Seán"), a double-barrelled name broken after
  its hyphen.
- "Mr" followed by a name not in the register is not proposed: only the register's people are.
- When a surname belongs to several people, the nearest full name decides whose it is; if none is
  near, the term names them all ("Jane Smith or John Smith") and nobody's id is given.
- A kept person (an official named in their public role) is still found, so that a kept "Fiona Reid"
  is not proposed as a bare "Reid" of someone else, and then left out. Their e-mail address and
  telephone number are still proposed: keeping a name is not publishing contact details.
- Whatever stands inside a kept phrase ("Robert Gordon University") is not proposed.
"""

import bisect
import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import TextChoices

# How close (in characters) a surname or full name must be for a forename on its own to count.
NEARBY = 300


class Kind(TextChoices):
    NAME = "name", "Name"
    EMAIL = "email", "E-mail address"
    TELEPHONE = "telephone", "Telephone number"
    POSTCODE = "postcode", "Postcode"
    TERM = "term", "Added term"


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    text: str
    kind: str
    term: str
    person_id: int | None = None


@dataclass(frozen=True)
class RegisteredPerson:
    id: int
    name: str
    email: str = ""


# ---------------------------------------------------------------------------------------------------
# Characters and words

_APOSTROPHES = "'\u2019\u2018\u02bc"  # ' ’ ‘ ʼ
_HYPHENS = "\\-\u2010\u2011"  # - ‐ ‑ (not the en dash, which separates words)
_APOSTROPHE = f"[{_APOSTROPHES}]"
_HYPHEN = f"[{_HYPHENS}]"

# Before a word: not a letter, digit or hyphen, nor a letter and an apostrophe (the "Neill" of O'Neill).
_WORD_START = rf"(?<![\w{_HYPHENS}])(?<!\w{_APOSTROPHE})"
_WORD_END = rf"(?![\w{_HYPHENS}])"

# Between the words of a name: white space (line breaks too), with any middle initials ("Fiona J. Reid").
_NAME_SPACE = r"(?:\s+(?-i:[A-Z])\.?){0,3}\s+"  # at most three: bounded work on odd text

# As written in minutes, with or without a full stop after each word.
_TITLES = (
    "mr mrs ms miss mx dr prof professor sir dame lady lord rev revd reverend cllr councillor "
    "ds di dci dsi dc pc sgt sergeant insp inspector supt superintendent acc dcc cc"
).split() + [
    "det sgt",
    "det insp",
    "det supt",
    "det chief supt",
    "det chief inspector",
    "det chief superintendent",
    "detective sergeant",
    "detective inspector",
    "detective chief inspector",
    "detective superintendent",
    "detective chief superintendent",
    "chief inspector",
    "chief superintendent",
    "ch insp",
    "ch supt",
    "chief constable",
    "deputy chief constable",
    "assistant chief constable",
]

_PLAIN_TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "rev", "revd", "cllr"}

# Particles that belong to the surname ("Ludwig van Beethoven", "Ana de Souza").
_PARTICLES = {"van", "von", "de", "der", "den", "da", "di", "du", "del", "della", "la", "le", "st", "ter"}

# Names that are also everyday words: on their own they count only mid-sentence (see the docstring).
_COMMON_WORDS = set(
    """
    will may june april august march grace hope faith joy rose mark bill pat sue frank dawn eve ruby
    amber jack max ray rob robin victor sandy carol don guy chase lane summer winter penny holly ivy
    heather daisy lily grant drew dean glen jay sky rich art gene matt rod sunny chip wade cliff dale
    earl fay gale iris ken kit lou miles nick norm olive page pearl reed rex rocky rusty sage sterling
    violet willow autumn harmony honor honour melody patience prudence charity constance felicity
    verity jewel brook young brown white black green grey gray law hay bell hill wood king mills
    walker baker cook mason hunter fisher bird hall lord marshall gold little long short best moss
    field burns park ward west north south east love friend day fox lamb wolf swan rice bean salt
    stone rock banks shore lake pool ford bridge street house church chapel castle tower wall gate
    chambers christian english welsh french power price cash sharp bright strong sweet wise good noble
    bishop abbot pope prior parsons chancellor sheriff steward knight baron duke prince major general
    judge constable cross bush forrest forest heath marsh moor bank burn kidd lee head lead chair
    case mayo carter hart wells waters rivers brooks spring
    """.split()
)

_SENTENCE_OPENERS = "\"'\u201c\u2018([*\u2022\u00b7"  # quotes, brackets and bullets a sentence may open with


def _canonical(text: str) -> str:
    """Lower case, one kind of apostrophe and hyphen, single spaces: what a name is compared by."""
    text = re.sub(_APOSTROPHE, "'", text.lower())
    text = re.sub(rf"\s*{_HYPHEN}\s*", "-", text)
    return " ".join(text.split())


def _key(name_text: str) -> str:
    """A matched name as the index knows it: canonical, without middle initials."""
    tokens = _canonical(name_text).split(" ")
    if len(tokens) > 2:
        tokens = [tokens[0], *(t for t in tokens[1:-1] if not re.fullmatch(r"\w\.?", t)), tokens[-1]]
    return " ".join(tokens)


def _trie_pattern(words: Iterable[str], char_pattern) -> str:
    """One alternation for many words, as a trie: quick to try at each position, and longest first
    (each optional continuation is greedy, so "Fiona Reid" wins over "Fiona")."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        branches = [char_pattern(char) + pattern(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:
            return f"(?:{body})?"
        return body

    return pattern(trie)


def _fold(text: str) -> str:
    """Without accents: "Seán" is often typed "Sean"."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


@functools.cache
def _name_char(char: str) -> str:
    if (plain := _fold(char)) != char and len(plain) == 1:
        return f"[{re.escape(char)}{re.escape(plain)}]"
    if char == " ":
        return _NAME_SPACE
    if char == "'":
        return _APOSTROPHE
    if char == "-":
        return rf"{_HYPHEN}\s*"  # PDF text breaks a double-barrelled name after its hyphen
    return re.escape(char)


@functools.cache
def _title_char(char: str) -> str:
    return r"\.?\s+" if char == " " else re.escape(char)


def _phrase_pattern(phrase: str) -> str:
    """A reviewer's phrase, matched case-insensitively, whole words only, across line breaks."""
    body = r"\s+".join(
        "".join(_name_char(c) if c in "'-" else re.escape(c) for c in _canonical(word)) for word in phrase.split()
    )
    start = _WORD_START if re.match(r"\w", phrase.strip()) else ""
    end = _WORD_END if re.search(r"\w$", phrase.strip()) else ""
    return start + body + end


# ---------------------------------------------------------------------------------------------------
# E-mail addresses, telephone numbers and postcodes

_EMAIL = re.compile(
    r"(?<![\w.%+'-])[\w%+'-](?:[\w.%+'-]*[\w%+'-])?"
    r"@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}"
    r"(?![\w-])"
)

# UK numbers as people write them: 0131 496 0123, 0131-496-0123, (0131) 496 0123, 01314960123,
# +44 (0)131 496 0123, 0044 131 496 0123, 07700 900123. Never after "/" (FOI/202700123), a digit or a
# currency sign, and separated only by spaces or hyphens, so dates (01/04/2017) and sums stay out;
# "0131 496 0123/4" and "07700 900123/07700 900124" are still found;
# the digits are then counted (_national_number).
_PHONE_GAP = r"(?:[ \u00a0]?[-\u2013][ \u00a0]?|\s)?"
_TELEPHONE = re.compile(
    rf"(?<![\w£$€+\-])(?<![A-Za-z]/)(?<!\d[.,])"
    rf"(?:(?:\+44|0044){_PHONE_GAP}(?:\(0\){_PHONE_GAP})?|\(0|0)"
    rf"\d{{2,4}}\)?(?:{_PHONE_GAP}\d{{2,4}}){{1,3}}"
    rf"(?![\w%£]|[.,]\d)"
)

# The postcode areas of the UK: a full postcode is an area, a district, then a digit and two letters
# (never C, I, K, M, O or V). "Q2" or "ICR 4" are not postcodes.
_POSTCODE_AREAS = frozenset(
    (
        "AB AL B BA BB BD BF BH BL BN BR BS BT BX CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY E EC "
        "EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE LL LN LS LU M "
        "ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO SP SR SS ST SW "
        "SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE GIR"
    ).split()
)
# The shape is matched first and the area checked after: an alternation of 120 areas tried at every
# position is five times slower.
_POSTCODE = re.compile(r"(?<![\w/])(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)[ \u00a0]?\d[ABD-HJLNP-UW-Z]{2}(?![\w/])", re.IGNORECASE)
_POSTCODE_AREA = re.compile(r"[A-Z]+", re.IGNORECASE)


def _national_number(written: str) -> str | None:
    """The number with its leading 0 ("01314960123"), or None if it is not a UK telephone number."""
    digits = re.sub(r"\D", "", written)
    if digits.startswith("0044"):
        digits = digits[2:]
    if digits.startswith("44") and written.lstrip("(").startswith(("+", "00")):
        digits = digits[2:].removeprefix("0")
    else:
        digits = digits.removeprefix("0")
    # Geographic (1, 2), non-geographic (3), mobile (7), free and special (8, 9): ten digits after
    # the 0, nine for a few old area codes and 0800 numbers.
    if digits[:1] in ("1", "2", "3", "7", "8", "9") and (len(digits) == 10 or (len(digits) == 9 and digits[0] in "18")):
        return "0" + digits
    return None


def _postcode_term(written: str) -> str:
    compact = re.sub(r"\s", "", written).upper()
    return f"{compact[:-3]} {compact[-3:]}"


# ---------------------------------------------------------------------------------------------------
# The people register, as names to look for

_FULL, _INITIAL, _SURNAME, _FORENAME = "full", "initial", "surname", "forename"


def _name_forms(name: str) -> list[tuple[str, str]]:
    """``[(canonical words, form)]`` for one register name: full, with an initial, surname, forename."""
    if name.count(",") == 1:  # "Reid, Fiona"
        surname_part, forenames_part = name.split(",")
        name = f"{forenames_part} {surname_part}"
    tokens = _canonical(name.replace(",", " ")).split()
    # A title in the register ("Dr Fiona Reid") is not part of the name; "Di" or "Lord" may be a forename.
    while len(tokens) > 1 and tokens[0].rstrip(".") in _TITLES and (len(tokens) > 2 or tokens[0] in _PLAIN_TITLES):
        tokens.pop(0)
    if len(tokens) > 2:
        tokens = [tokens[0], *(t for t in tokens[1:-1] if not re.fullmatch(r"\w\.?", t)), tokens[-1]]
    if not tokens:
        return []
    first_surname_word = len(tokens) - 1
    while first_surname_word > 1 and tokens[first_surname_word - 1] in _PARTICLES:
        first_surname_word -= 1
    forenames, surname = tokens[:first_surname_word], " ".join(tokens[first_surname_word:])
    forms = [(surname, _SURNAME)]
    if first_surname_word < len(tokens) - 1:
        forms.append((tokens[-1], _SURNAME))  # "Mr Beethoven" as well as "Mr van Beethoven"
    if forenames:
        forms += [(f"{forenames[0]} {surname}", _FULL), (" ".join(forenames + [surname]), _FULL)]
        forms += [(forenames[0], _FORENAME), (" ".join(forenames), _FORENAME)]
        initial = forenames[0][0]
        if len(forenames[0].rstrip(".")) > 1 and initial.isalpha():
            forms += [(f"{initial} {surname}", _INITIAL), (f"{initial}. {surname}", _INITIAL)]
    return [(words, form) for words, form in dict.fromkeys(forms) if len(words.replace(".", "")) > 1]


@dataclass
class _NameMatch:
    start: int
    end: int
    titled: bool
    direct: frozenset  # ids named by this match on its own
    by_forename: frozenset  # ids named only if they are named outright nearby
    full: bool  # a full name (or initial and surname): decides whose a nearby bare surname is


# ---------------------------------------------------------------------------------------------------


class Finder:
    """Finds the proposed redactions in texts, for one register of people and one review's rules."""

    def __init__(
        self,
        *,
        people: Iterable[RegisteredPerson],
        added_terms: Iterable[str] = (),
        kept_people: Iterable[int] = frozenset(),
        kept_phrases: Iterable[str] = (),
    ):
        self._names: dict[int, str] = {}
        # Canonical words -> form -> the ids of the people they name in that form.
        self._index: dict[str, dict[str, frozenset[int]]] = defaultdict(lambda: defaultdict(frozenset))
        emails: dict[str, set[int]] = defaultdict(set)
        for person in people:
            self._names[person.id] = " ".join(person.name.split())
            for words, form in _name_forms(person.name):
                self._index[words][form] |= {person.id}
            if person.email.strip():
                emails[person.email.strip().lower()].add(person.id)
        # Looked up without accents, whatever the register or the text has.
        self._forms: dict[str, dict[str, frozenset[int]]] = defaultdict(lambda: defaultdict(frozenset))
        for words, forms in self._index.items():
            for form, ids in forms.items():
                self._forms[_fold(words)][form] |= ids
        self._email_owner = {address: ids.pop() for address, ids in emails.items() if len(ids) == 1}
        self._kept_people = frozenset(kept_people)

        self._name_re = None
        if self._index:
            titles = _trie_pattern(_TITLES, _title_char)
            names = _trie_pattern(self._index, _name_char)
            self._name_re = re.compile(
                # A title starts with a capital ("Mr", "DCI"): "we will miss Reid" is not "Miss Reid".
                rf"{_WORD_START}(?:(?=(?-i:[A-Z]))(?P<title>{titles})\.?\s+)?(?P<name>{names}){_WORD_END}",
                re.IGNORECASE,
            )

        self._terms = [term for term in dict.fromkeys(t.strip() for t in added_terms) if term]
        self._term_re = self._alternation(self._terms, named=True)
        self._kept_re = self._alternation([p.strip() for p in kept_phrases if p.strip()], named=False)

    @staticmethod
    def _alternation(phrases: list[str], *, named: bool):
        if not phrases:
            return None
        order = sorted(range(len(phrases)), key=lambda i: -len(phrases[i]))
        parts = [(f"(?P<t{i}>" if named else "(?:") + _phrase_pattern(phrases[i]) + ")" for i in order]
        return re.compile("|".join(parts), re.IGNORECASE)

    def find(self, text: str) -> list[Found]:
        """Every proposed redaction in ``text``, by position, none overlapping another."""
        kept_spans = [m.span() for m in self._kept_re.finditer(text)] if self._kept_re else []

        def inside_kept(start: int, end: int) -> bool:
            i = bisect.bisect_right(kept_spans, (start, len(text) + 1)) - 1
            return i >= 0 and kept_spans[i][1] >= end

        # (start, end, kind, term, person_id, kept); kept ones still take their place, then go.
        candidates = [c for c in self._find_names(text, inside_kept) if not inside_kept(c[0], c[1])]
        candidates += [c for c in self._find_patterns(text) if not inside_kept(c[0], c[1])]
        return [
            Found(start=start, end=end, text=text[start:end], kind=kind, term=term, person_id=person_id)
            for start, end, kind, term, person_id, kept in _longest_first(candidates)
            if not kept
        ]

    def _find_patterns(self, text: str):
        for m in _EMAIL.finditer(text):
            address = m.group().lower()
            yield (*m.span(), Kind.EMAIL, address, self._email_owner.get(address), False)
        for m in _TELEPHONE.finditer(text):
            if number := _national_number(m.group()):
                yield (*m.span(), Kind.TELEPHONE, number, None, False)
        for m in _POSTCODE.finditer(text):
            written = m.group()
            if (
                written in (written.upper(), written.lower())
                and _POSTCODE_AREA.match(written).group().upper() in _POSTCODE_AREAS
            ):
                yield (*m.span(), Kind.POSTCODE, _postcode_term(written), None, False)
        if self._term_re:
            for m in self._term_re.finditer(text):
                yield (*m.span(), Kind.TERM, self._terms[int(m.lastgroup[1:])], None, False)

    def _find_names(self, text: str, inside_kept):
        if self._name_re is None:
            return
        matches = []
        for m in self._name_re.finditer(text):
            if inside_kept(*m.span()):
                continue
            match = self._name_match(text, m)
            if match.direct or match.by_forename:
                matches.append(match)

        # Where each person is named in full: decides whose an ambiguous surname is.
        full_at = defaultdict(list)
        for match in matches:
            if match.full:
                for person_id in match.direct:
                    full_at[person_id].append(match.start)

        starts = [match.start for match in matches]
        for match in matches:
            pool = match.direct
            if match.by_forename:  # a forename counts only with the person named outright nearby
                near = matches[
                    bisect.bisect_left(starts, match.start - NEARBY) : bisect.bisect_right(starts, match.start + NEARBY)
                ]
                pool = pool | (match.by_forename & set().union(*(m.direct for m in near)))
            if not pool:
                continue
            person_id = _whose(pool, full_at, match.start)
            if person_id is not None:
                term, kept = self._names[person_id], person_id in self._kept_people
            else:
                term = _one_of(sorted({self._names[p] for p in pool}))
                kept = pool <= self._kept_people
            yield (match.start, match.end, Kind.NAME, term, person_id, kept)

    def _name_match(self, text: str, m: re.Match) -> _NameMatch:
        name_text = m.group("name")
        titled = m.group("title") is not None
        last_word = name_text.split()[-1]
        capitalised = last_word[:1].isupper()
        key = _key(name_text)
        bare_ok = capitalised and (
            key not in _COMMON_WORDS or (_mid_sentence(text, m.start()) and not name_text.isupper())
        )
        forms = self._forms.get(_fold(key), {})
        direct = forms.get(_FULL, frozenset())
        if titled or name_text[:1].isupper():  # "F. Reid", not "a reid"
            direct |= forms.get(_INITIAL, frozenset())
        full = bool(direct)
        by_forename = forms.get(_FORENAME, frozenset())
        if titled or bare_ok:
            direct |= forms.get(_SURNAME, frozenset())
        if not (titled or bare_ok):
            by_forename = frozenset()
        return _NameMatch(m.start(), m.end(), titled, direct, by_forename, full)


def _one_of(names: list[str]) -> str:
    """The term for a name several people share: "Jane Smith or John Smith"."""
    if len(names) > 3:
        return f"{', '.join(names[:2])} or {len(names) - 2} others"
    return ", ".join(names[:-1]) + " or " + names[-1]


def _mid_sentence(text: str, position: int) -> bool:
    """Whether the word at ``position`` follows a letter, digit or comma (skipping spaces and line breaks)."""
    i = position - 1
    while i >= 0 and (text[i].isspace() or text[i] in _SENTENCE_OPENERS):
        i -= 1
    return i >= 0 and (text[i].isalnum() or text[i] in ",;&")


def _distance(positions: list[int], position: int) -> int:
    """How far the nearest of the sorted ``positions`` is from ``position`` (a large number if none)."""
    i = bisect.bisect_left(positions, position)
    near = [abs(positions[j] - position) for j in (i - 1, i) if 0 <= j < len(positions)]
    return min(near, default=1 << 62)


def _whose(pool: set, full_at: dict, position: int) -> int | None:
    """The one person a name refers to: the only candidate, or the one whose full name is nearest."""
    if len(pool) == 1:
        return next(iter(pool))
    distances = sorted((_distance(full_at[p], position), p) for p in pool)
    (nearest, person_id), (second, _) = distances[0], distances[1]
    return person_id if nearest <= NEARBY and nearest < second else None


_PRIORITY = {Kind.EMAIL: 0, Kind.TELEPHONE: 1, Kind.POSTCODE: 2, Kind.NAME: 3, Kind.TERM: 4}


def _longest_first(candidates: list[tuple]) -> list[tuple]:
    """The candidates that do not overlap a longer one (ties: e-mail, telephone, postcode, name, term;
    then the earlier), by position."""
    chosen_starts: list[int] = []
    chosen: list[tuple] = []
    for candidate in sorted(candidates, key=lambda c: (c[0] - c[1], _PRIORITY[c[2]], c[0])):
        start, end = candidate[0], candidate[1]
        i = bisect.bisect_left(chosen_starts, start)
        if (i > 0 and chosen[i - 1][1] > start) or (i < len(chosen) and chosen[i][0] < end):
            continue
        chosen_starts.insert(i, start)
        chosen.insert(i, candidate)
    return chosen
