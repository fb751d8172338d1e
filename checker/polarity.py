"""Polarity and certainty of clauses: what a sentence says happened, did not happen, or may happen.

Two outlets can tell one event with the same words and opposite polarity ("signed the accord" /
"did not sign the accord") or with different certainty ("agreed" / "agreed in principle"). Each
asserted verb of a sentence is read from its dependency parse as a ``Predicate``: its lemma, its
core arguments (who did it, to what), whether it is negated, hedged or in the future. Two
sentences' predicates are compared only when the verb and its arguments match: opinion pieces are
full of negations about other things.

What is not a claim is left out: questions, conditions ("if they sign"), clauses reported as
unknown ("did not say whether they agreed"), obligations ("must sign"), and the complements of
verbs such as "want to" (the complement of "agree to" is read as part of what was agreed).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from checker.frames import names_match
from checker.models import Finding, Frozen, Sentence, SentencePair

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from checker.detectors.base import ComparisonContext

CUES_FILE = Path(__file__).parent / "data" / "polarity.toml"

CONDITIONAL_MARKS = frozenset({"whether", "if", "unless", "lest"})
# Entities that place, date or count: the event gate compares those, not the predicate.
SETTING_LABELS = frozenset(
    {"DATE", "TIME", "GPE", "LOC", "FAC", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}
)
MODIFIER_DEPS = frozenset({"det", "compound", "amod", "nummod", "poss", "case"})
AUXILIARY_DEPS = frozenset({"aux", "auxpass"})
MAX_PHRASE_WORDS = 6
# "did not sign or ratify": the negation reaches the verbs coordinated with "or"/"nor".
DISJUNCTIONS = frozenset({"or", "nor"})
PLURAL_PRONOUNS = frozenset({"they", "we", "i", "you"})
NARROWING_WORDS = frozenset({"only", "just", "merely", "simply"})
# Steps up the parse from a verb to its clause's head, subject or auxiliaries. News clauses need a
# handful; the cap keeps a pathological sentence (hundreds of coordinated verbs) linear.
MAX_CLIMB = 40


class Cues(BaseModel):
    """The cue words of data/polarity.toml."""

    attribution: frozenset[str]
    boosters: frozenset[str]
    negative_controllers: frozenset[str]
    hedge_controllers: frozenset[str]
    forward_controllers: frozenset[str]
    intention_controllers: frozenset[str]
    future_controllers: frozenset[str]
    hedge_modals: frozenset[str]
    future_modals: frozenset[str]
    unasserted_modals: frozenset[str]
    realis_when_negated: frozenset[str]
    hedge_adverbs: frozenset[str]
    hedge_phrases: frozenset[str]
    light_verbs: frozenset[str]
    generic_modifiers: frozenset[str]
    verb_synonyms: dict[str, str]
    noun_synonyms: dict[str, str]
    lemma_fixes: dict[str, str]
    symmetric_verbs: frozenset[str]


@lru_cache(maxsize=1)
def cues() -> Cues:
    table = tomllib.loads(CUES_FILE.read_text(encoding="utf-8"))
    controllers, modals = table["controllers"], table["modals"]
    return Cues(
        attribution=frozenset(table["attribution"]),
        boosters=frozenset(table["boosters"]),
        negative_controllers=frozenset(controllers["negative"]),
        hedge_controllers=frozenset([*controllers["hedge"], *controllers["hedge_forward"], *controllers["intention"]]),
        forward_controllers=frozenset([*controllers["hedge_forward"], *controllers["intention"]]),
        intention_controllers=frozenset(controllers["intention"]),
        future_controllers=frozenset(controllers["future"]),
        hedge_modals=frozenset(modals["hedge"]),
        future_modals=frozenset(modals["future"]),
        unasserted_modals=frozenset(modals["unasserted"]),
        realis_when_negated=frozenset(modals["realis_when_negated"]),
        hedge_adverbs=frozenset(table["hedges"]["adverbs"]),
        hedge_phrases=frozenset(table["hedges"]["phrases"]),
        light_verbs=frozenset(table["light_verbs"]["lemmas"]),
        generic_modifiers=frozenset(table["generic_modifiers"]["lemmas"]),
        verb_synonyms={word: canonical for canonical, words in table["verb_synonyms"].items() for word in words},
        noun_synonyms={word: canonical for canonical, words in table["noun_synonyms"].items() for word in words},
        lemma_fixes=table["lemma_fixes"],
        symmetric_verbs=frozenset(table["symmetric_verbs"]["lemmas"]),
    )


class Argument(Frozen):
    """A core argument of a predicate, by its head word."""

    text: str = Field(description="the head as written, with a name's other words: 'Ilse Brandt', 'accord'")
    lemma: str = Field(description="canonical lemma: 'deal' for accord, agreement, pact ...")
    kind: Literal["name", "noun", "pronoun"]
    modifiers: list[str] = Field([], description="lemmas of the words that say which one: 'fishery' in 'fisheries accord'")


class Oblique(Frozen):
    preposition: str
    argument: Argument


class Complement(Frozen):
    """What was agreed, decided or promised: "to meet again" in "agreed to meet again"."""

    lemma: str
    words: str | None = Field(description="'to meet again', 'using' as written; None for a clause ('that Ortiz won')")
    objects: list[Argument] = []


class Predicate(Frozen):
    """An asserted verb of a sentence with its arguments, polarity and certainty."""

    lemma: str = Field(description="canonical lemma of the verb, with its particle: 'sign', 'create' for 'set up'")
    verb: str = Field(description="the verb as written, with its particle: 'gunned down'")
    verb_tag: str = Field(description="its part-of-speech tag: VBD for 'signed', VB for 'sign' ...")
    verb_start: int = Field(description="offset of the verb in the sentence")
    start: int = Field(description="the verb with its cues and complement: offsets in the sentence")
    end: int
    words: str = Field(description="the sentence's text from start to end: 'did not sign', 'agreed in principle'")
    negation: str | None = Field(None, description="the negation as written: 'did not', 'never', 'refused to', 'No'")
    hedge: str | None = Field(None, description="what makes it uncertain, as written: 'in principle', 'expected to'")
    forward: bool = Field(False, description="the hedge looks ahead: an earlier article may simply predate the event")
    intention: bool = Field(False, description="the hedge is a plan or aim ('plans to'): as sure as 'will', less than done")
    future: bool = Field(False, description="'will sign', 'is set to sign', 'would be governed'")
    booster: str | None = Field(None, description="an attribution that vouches for it: 'confirmed'")
    booster_start: int | None = None
    subjects: list[Argument] = []
    objects: list[Argument] = []
    obliques: list[Oblique] = []
    complement: Complement | None = None
    statement: str = Field(description="subject, verb group and complements as written, for summaries")
    echo: str = Field(description="the short answer the statement allows: 'they did', 'Brandt has', 'it will'")

    @property
    def negated(self) -> bool:
        return self.negation is not None

    @property
    def hedged(self) -> bool:
        return self.hedge is not None


class ArgumentFit(Frozen):
    fits: bool
    matched: int = Field(0, description="how many argument roles name the same thing on both sides")
    reasons: list[str] = []


class AlignedPredicates(Frozen):
    """The same predicate with the same arguments in two aligned sentences."""

    pair: SentencePair
    a: Predicate
    b: Predicate
    fit: ArgumentFit


# --------------------------------------------------------------------------- reading a sentence


def read_predicates(doc: Doc) -> list[Predicate]:
    """The predicates a parsed sentence asserts, negated or hedged; none for a question."""
    if doc.text.rstrip(" \"'”’)").endswith("?"):
        return []
    predicates = (_read_predicate(token) for token in doc if token.pos_ == "VERB" and not _is_cue_verb(token))
    return [predicate for predicate in predicates if predicate is not None]


@dataclass
class _Path:
    """How a verb's clause is asserted: through controlling verbs ("refused to") and reporting verbs."""

    controllers: list[Token] = field(default_factory=list)
    reporters: list[Token] = field(default_factory=list)


@dataclass
class _Reading:
    """What the verb and its controllers say about the clause, gathered on the way up."""

    negations: list[str] = field(default_factory=list)
    hedges: list[str] = field(default_factory=list)
    forward: bool = False
    intention: bool = False
    future: bool = False
    unasserted: bool = False
    cue_tokens: list[int] = field(default_factory=list)


def _read_predicate(verb: Token) -> Predicate | None:
    path = _assertion_path(verb)
    if path is None:
        return None
    reading = _Reading()
    _read_own_cues(verb, reading)
    for controller in path.controllers:
        _read_controller(controller, reading)
    if reading.unasserted or len(reading.negations) > 1 or (reading.negations and reading.hedges):
        # Obligations, double negations and hedged negations claim nothing checkable.
        return None
    if (reading.future or reading.hedges) and _has_condition(verb):
        # "would sign if Veloria agreed": a claim about another world.
        return None
    subjects, objects = _core_arguments(verb, path.controllers)
    no_object = _negative_determiner(objects)
    if no_object is not None:
        if reading.negations or reading.hedges:
            return None
        reading.negations.append(no_object.text)
        reading.cue_tokens += [no_object.i, no_object.head.i]
    complement = _complement_verb(verb)
    doc = verb.doc
    auxiliaries = [child.i for child in verb.children if child.dep_ in AUXILIARY_DEPS | {"prt"}]
    span_tokens = [verb.i, *reading.cue_tokens, *auxiliaries]
    if complement is not None:
        span_tokens += _infinitive_tokens(complement)
    start, end = doc[min(span_tokens)].idx, _token_end(doc[max(span_tokens)])
    booster = next((reporter for reporter in path.reporters if _lemma(reporter) in cues().boosters), None)
    return Predicate(
        lemma=_verb_lemma(verb),
        verb=_text_of(doc, [verb.i, *(child.i for child in verb.children if child.dep_ == "prt")]),
        verb_tag=verb.tag_,
        verb_start=verb.idx,
        start=start,
        end=end,
        words=doc[min(span_tokens) : max(span_tokens) + 1].text,
        negation=reading.negations[0] if reading.negations else None,
        hedge=reading.hedges[0] if reading.hedges else None,
        forward=reading.forward,
        intention=reading.intention,
        future=reading.future,
        booster=booster.text if booster is not None else None,
        booster_start=booster.idx if booster is not None else None,
        subjects=[_argument(token) for token in subjects],
        objects=[_argument(token) for token in objects],
        obliques=_obliques(verb, objects),
        complement=_complement(complement) if complement is not None else None,
        statement=_statement(verb, path.controllers, complement),
        echo=_echo(verb, path.controllers, reading.future),
    )


def _lemma(token: Token) -> str:
    lemma = token.lemma_.lower()
    return cues().lemma_fixes.get(lemma, lemma)


def _is_cue_verb(token: Token) -> bool:
    """Attribution verbs and verbs that only frame another ("refused to sign") are not the fact."""
    if _lemma(token) in cues().attribution:
        return True
    return _controller_kind(token) is not None and any(child.dep_ == "xcomp" for child in token.children)


def _assertion_path(verb: Token) -> _Path | None:
    """The controlling and reporting verbs between the verb and the sentence's main assertion, or
    None when the verb's clause is not asserted (a condition, an unknown, a wish)."""
    path = _Path()
    token = verb
    for _ in range(MAX_CLIMB):
        if any(child.dep_ == "mark" and child.lower_ in CONDITIONAL_MARKS for child in token.children):
            return None
        head = token.head
        if token.dep_ == "ROOT" or head.i == token.i:
            return path
        if token.dep_ == "conj":
            token = head
        elif token.dep_ in {"ccomp", "parataxis"} and _lemma(head) in cues().attribution:
            if _own_negation(head) is not None:
                # "Officials did not say that they agreed" asserts nothing about agreeing.
                return None
            path.reporters.append(head)
            token = head
        elif token.dep_ == "xcomp" and _controller_kind(head) is not None:
            path.controllers.append(head)
            token = head
        elif token.dep_ == "acomp" and token in path.controllers:
            # "is likely to approve": the adjective's copula carries the clause.
            token = head
        else:
            return None
    return None


def _has_condition(verb: Token) -> bool:
    return any(
        child.dep_ == "advcl" and any(mark.dep_ == "mark" and mark.lower_ in CONDITIONAL_MARKS for mark in child.children)
        for child in verb.children
    )


def _controller_kind(token: Token) -> Literal["negative", "hedge", "future"] | None:
    lemma = _lemma(token)
    table = cues()
    if lemma in table.negative_controllers or _is_yet_to(token):
        return "negative"
    if lemma in table.hedge_controllers:
        return "hedge"
    if lemma in table.future_controllers or (lemma == "go" and token.tag_ == "VBG"):
        return "future"
    return None


def _is_yet_to(token: Token) -> bool:
    """"have yet to agree", "are yet to agree": not (yet) agreed."""
    return _lemma(token) in {"have", "be"} and any(
        child.dep_ == "advmod" and child.lower_ == "yet" for child in token.children
    )


def _read_controller(controller: Token, reading: _Reading) -> None:
    kind = _controller_kind(controller)
    before = len(reading.negations) + len(reading.hedges)
    _read_own_cues(controller, reading)
    if len(reading.negations) + len(reading.hedges) > before and kind != "future":
        # "did not refuse to sign", "is not expected to sign": neither a claim nor its denial.
        reading.unasserted = True
    tokens = _controller_tokens(controller)
    reading.cue_tokens += tokens
    if kind == "negative":
        reading.negations.append(_text_of(controller.doc, tokens))
    elif kind == "hedge":
        reading.hedges.append(_text_of(controller.doc, tokens))
        reading.forward = reading.forward or _lemma(controller) in cues().forward_controllers
        reading.intention = reading.intention or _lemma(controller) in cues().intention_controllers
    else:
        reading.future = True


def _controller_tokens(controller: Token) -> list[int]:
    """The controller with its auxiliaries, "yet", "to" and, for an adjective, its copula."""
    tokens = [controller.i]
    tokens += [child.i for child in controller.children if child.dep_ in AUXILIARY_DEPS | {"neg"}]
    tokens += [child.i for child in controller.children if child.dep_ == "advmod" and child.lower_ == "yet"]
    for child in controller.children:
        if child.dep_ == "xcomp":
            tokens += [grandchild.i for grandchild in child.children if grandchild.dep_ == "aux" and grandchild.lower_ == "to"]
    if controller.dep_ == "acomp":
        tokens.append(controller.head.i)
    return tokens


def _read_own_cues(token: Token, reading: _Reading) -> None:
    """Negation, modals and hedging adverbs attached to one verb (or inherited by a coordinated one)."""
    table = cues()
    source = _cue_bearer(token)
    negation = _own_negation(source)
    modal = next((child for child in source.children if child.dep_ == "aux" and child.tag_ == "MD"), None)
    if modal is not None:
        word = modal.lower_.replace("’", "'")
        perfect = any(child.dep_ == "aux" and child.lemma_ == "have" for child in source.children)
        if negation is not None and word in table.realis_when_negated:
            # "could not agree" reports that they did not.
            reading.negations.append(_text_of(token.doc, [modal.i, negation.i]))
            reading.cue_tokens += [modal.i, negation.i]
            return
        if word in table.future_modals and not perfect:
            reading.future = True
            reading.cue_tokens.append(modal.i)
        elif word in table.hedge_modals and negation is None:
            reading.hedges.append(modal.text)
            reading.cue_tokens.append(modal.i)
            # "may sign" looks ahead; "may have signed" does not.
            reading.forward = reading.forward or not perfect
        else:
            reading.unasserted = True
            return
    if token.dep_ == "ROOT" and any(child.dep_ == "aux" and child.lower_ == "to" for child in token.children):
        # Headline style: "Kestria to sign fisheries accord" announces what will happen.
        reading.future = True
    if negation is not None and _narrow_negation(negation):
        reading.unasserted = True
        return
    if negation is not None:
        auxiliaries = [child.i for child in source.children if child.dep_ in AUXILIARY_DEPS and child.i < negation.i]
        reading.negations.append(_text_of(token.doc, [*auxiliaries, *_negation_tokens(negation)]))
        reading.cue_tokens += [*auxiliaries, *_negation_tokens(negation)]
    for child in token.children:
        # "reportedly agreed", "agreed tentatively"; but in "started a career reportedly as a way
        # to cope" the adverb qualifies what follows, not the verb.
        if child.dep_ == "advmod" and child.lower_ in table.hedge_adverbs and child.i <= token.i + 1:
            reading.hedges.append(child.text)
            reading.cue_tokens.append(child.i)
        elif child.dep_ == "prep" and (phrase := _hedge_phrase(child)) is not None:
            reading.hedges.append(phrase)
            reading.cue_tokens += [child.i, *(grandchild.i for grandchild in child.children)]


def _cue_bearer(token: Token) -> Token:
    """A coordinated verb without auxiliaries of its own shares its head's: "may sign and ratify",
    "did not sign or ratify" (but not "did not sign and left")."""
    # A loop, not recursion: the parser chains long coordinations ("A, B, C and D") conjunct to conjunct.
    for _ in range(MAX_CLIMB):
        if token.dep_ != "conj":
            return token
        if any(child.dep_ in AUXILIARY_DEPS | {"neg", "nsubj", "nsubjpass"} for child in token.children):
            return token
        head = token.head
        disjoined = any(child.dep_ == "cc" and child.lower_ in DISJUNCTIONS for child in head.children)
        if _own_negation(head) is not None and not disjoined:
            return token
        token = head
    return token


def _own_negation(token: Token) -> Token | None:
    """The negation of this verb: "not", "never", "no longer"."""
    for child in token.children:
        if child.dep_ == "neg" and child.lower_ in {"not", "n't", "n’t", "never", "no"}:
            return child
        if child.dep_ == "advmod" and child.lower_ == "never":
            return child
        if child.dep_ == "advmod" and child.lower_ == "longer":
            if any(grandchild.dep_ == "neg" and grandchild.lower_ == "no" for grandchild in child.children):
                return child
    return None


def _narrow_negation(negation: Token) -> bool:
    """A "not" that denies less than the event: "not only signed", "not just", and "did not meet
    until Friday" (they met, on Friday)."""
    doc, verb = negation.doc, negation.head
    following = doc[negation.i + 1] if negation.i + 1 < len(doc) else None
    if following is not None and following.lower_ in NARROWING_WORDS:
        return True
    return any(child.lower_ in {"until", "till"} for child in verb.children)


def _negation_tokens(negation: Token) -> list[int]:
    """"no longer" is two words; "not", "never" one."""
    return [*(child.i for child in negation.children if child.dep_ == "neg"), negation.i]


def _hedge_phrase(preposition: Token) -> str | None:
    objects = [child for child in preposition.children if child.dep_ == "pobj"]
    if len(objects) != 1:
        return None
    phrase = f"{preposition.lower_} {objects[0].lower_}"
    return _text_of(preposition.doc, [preposition.i, objects[0].i]) if phrase in cues().hedge_phrases else None


def _negative_determiner(objects: list[Token]) -> Token | None:
    """"No agreement was reached": the "no" on the object denies the event."""
    for token in objects:
        for child in token.children:
            if child.dep_ == "det" and child.lower_ == "no":
                return child
    return None


def _complement_verb(verb: Token) -> Token | None:
    """The infinitive of "agreed to meet", or the clause of "conceded that Biden won": part of
    what the verb says ("conceded the race" is another claim)."""
    return next((child for child in verb.children if child.dep_ in {"xcomp", "ccomp"} and child.pos_ in {"VERB", "AUX"}), None)


def _complement(complement: Token) -> Complement:
    objects = [conjunct for child in complement.children if child.dep_ == "dobj" for conjunct in _with_conjuncts(child)]
    return Complement(
        lemma=_verb_lemma(complement),
        words=_text_of(complement.doc, _infinitive_tokens(complement)) if complement.dep_ == "xcomp" else None,
        objects=[_argument(token) for token in objects],
    )


def _infinitive_tokens(complement: Token) -> list[int]:
    """"to meet again", "to set up": an infinitive with its particle and adverbs, not its object;
    a clause ("that Biden won") is too long for a span and stays out."""
    if complement.dep_ != "xcomp":
        return []
    return [complement.i, *(child.i for child in complement.children if child.dep_ in {"aux", "prt", "advmod"})]


def _is_passive(verb: Token) -> bool:
    """"was signed", and "was signed and ratified" for "ratified" too."""
    for _ in range(MAX_CLIMB):
        if any(child.dep_ in {"auxpass", "nsubjpass"} for child in verb.children):
            return True
        if not (verb.dep_ == "conj" and verb.tag_ == "VBN" and not _has_subject(verb)):
            return False
        verb = verb.head
    return False


def _has_subject(verb: Token) -> bool:
    return any(child.dep_ in {"nsubj", "nsubjpass", "expl", "csubj"} for child in verb.children)


def _grammatical_subject(verb: Token, controllers: list[Token]) -> Token | None:
    """The subject, also when it is shared: with a coordinated verb or with a controlling verb
    ("the governments are expected to sign": governments)."""
    for _ in range(MAX_CLIMB):
        for child in verb.children:
            if child.dep_ in {"nsubj", "nsubjpass"}:
                return child
        if verb.dep_ == "conj" and verb.head.pos_ in {"VERB", "AUX"}:
            verb = verb.head
        elif verb.dep_ == "xcomp" and verb.head in controllers:
            controller = verb.head
            verb = controller.head if controller.dep_ == "acomp" else controller
        else:
            return None
    return None


def _core_arguments(verb: Token, controllers: list[Token]) -> tuple[list[Token], list[Token]]:
    """Who did it and to what: a passive subject is what was done to, the agent who did it."""
    subject = _grammatical_subject(verb, controllers)
    subjects: list[Token] = []
    objects = [conjunct for child in verb.children if child.dep_ == "dobj" for conjunct in _with_conjuncts(child)]
    if subject is not None:
        (objects if _is_passive(verb) else subjects).extend(_with_conjuncts(subject))
    for child in verb.children:
        if child.dep_ == "agent":
            subjects += [conjunct for pobj in child.children if pobj.dep_ == "pobj" for conjunct in _with_conjuncts(pobj)]
    return subjects, objects


def _with_conjuncts(token: Token) -> list[Token]:
    return [token, *token.conjuncts]


def _obliques(verb: Token, objects: list[Token]) -> list[Oblique]:
    """Prepositional arguments that say what the act was about: "agree on a ceasefire", and "reach
    an agreement on quotas" whether the parse hangs "on quotas" on the verb or on its object.
    Places, dates and hedges ("in principle") are not arguments."""
    obliques = []
    for head in [verb, *objects]:
        for child in head.children:
            if child.dep_ != "prep" or _hedge_phrase(child) is not None:
                continue
            for pobj in child.children:
                if pobj.dep_ == "pobj" and pobj.ent_type_ not in SETTING_LABELS:
                    obliques += [
                        Oblique(preposition=child.lower_, argument=_argument(token)) for token in _with_conjuncts(pobj)
                    ]
    return obliques


def _argument(token: Token) -> Argument:
    if token.pos_ == "PRON" or token.tag_ in {"WDT", "WP"}:
        return Argument(text=token.text, lemma=token.lower_, kind="pronoun")
    if token.pos_ == "PROPN":
        words = [left for left in token.lefts if left.dep_ == "compound" and left.pos_ == "PROPN"]
        name = " ".join(word.text for word in [*words, token])
        return Argument(text=re.sub(r"(?:'s|’s)$", "", name), lemma=token.lower_, kind="name")
    lemma = (token.lemma_ or token.text).lower()
    modifiers = [
        left.lemma_.lower()
        for left in token.lefts
        if left.dep_ in {"compound", "amod"} and left.lemma_.lower() not in cues().generic_modifiers
    ]
    return Argument(text=token.text, lemma=cues().noun_synonyms.get(lemma, lemma), kind="noun", modifiers=modifiers)


def _verb_lemma(verb: Token) -> str:
    particles = [child.lower_ for child in verb.children if child.dep_ == "prt"]
    lemma = " ".join([_lemma(verb), *particles])
    return cues().verb_synonyms.get(lemma, lemma)


# --------------------------------------------------------------------------- wording for summaries


def _statement(verb: Token, controllers: list[Token], complement: Token | None) -> str:
    """"the two governments did not sign the fisheries accord": who, the verb group and what,
    as written, without subordinate clauses, places or dates."""
    doc = verb.doc
    tokens: list[int] = []
    subject = _grammatical_subject(verb, controllers)
    if subject is not None:
        tokens += _phrase_tokens(subject)
    for controller in controllers:
        tokens += _controller_tokens(controller)
    tokens += [child.i for child in verb.children if child.dep_ in AUXILIARY_DEPS | {"neg", "prt"}]
    negation = _own_negation(verb)
    if negation is not None:
        tokens += _negation_tokens(negation)
    tokens += [verb.i, *_complements_of(verb)]
    if complement is not None:
        tokens += [*_clause_tokens(complement), *_complements_of(complement)]
    text = _text_of(doc, tokens)
    first = doc[min(tokens)]
    # "The governments signed" is quoted mid-sentence in a summary: "whether the governments signed".
    return text[0].lower() + text[1:] if first.pos_ != "PROPN" and first.text != "I" else text


def _clause_tokens(complement: Token) -> list[int]:
    """"to meet again"; "that Biden won": the complement's verb with its own subject."""
    if complement.dep_ == "xcomp":
        return _infinitive_tokens(complement)
    tokens = [complement.i, *(child.i for child in complement.children if child.dep_ in AUXILIARY_DEPS | {"mark", "neg"})]
    for child in complement.children:
        if child.dep_ in {"nsubj", "nsubjpass"}:
            tokens += _phrase_tokens(child)
    return tokens


def _complements_of(verb: Token) -> list[int]:
    """Objects and prepositional objects after the verb, as short phrases."""
    tokens = []
    for child in verb.children:
        if child.dep_ in {"dobj", "dative"}:
            tokens += _phrase_tokens(child)
        elif child.dep_ in {"prep", "agent"} and child.i > verb.i and _hedge_phrase(child) is None:
            objects = [pobj for pobj in child.children if pobj.dep_ == "pobj" and pobj.ent_type_ not in SETTING_LABELS]
            if objects:
                tokens += [child.i, *_phrase_tokens(objects[0])]
    return tokens


def _phrase_tokens(token: Token) -> list[int]:
    """A noun phrase as written when short (without when and where); else its head with its modifiers."""
    kept, stack = [], [token]
    while stack:
        word = stack.pop()
        kept.append(word.i)
        stack += [child for child in word.children if not _is_setting(child)]
    if len(kept) <= MAX_PHRASE_WORDS and not any(token.doc[index].pos_ in {"VERB", "PUNCT"} for index in kept):
        return kept
    return [*(word.i for left in token.lefts if left.dep_ in MODIFIER_DEPS for word in left.subtree), token.i]


def _is_setting(token: Token) -> bool:
    """"on Tuesday", "in Varsk": a prepositional phrase dating or placing the event."""
    if token.dep_ != "prep":
        return False
    objects = [child for child in token.children if child.dep_ == "pobj"]
    return any(
        pobj.ent_type_ in {"DATE", "TIME"} or (pobj.ent_type_ in {"GPE", "LOC", "FAC"} and token.lower_ in {"in", "at"})
        for pobj in objects
    )


def _echo(verb: Token, controllers: list[Token], future: bool) -> str:
    """The short answer a statement allows: "they did", "Brandt has", "it will"."""
    subject = _grammatical_subject(verb, controllers)
    # The tense is carried by the outermost verb: "refused" in "refused to sign".
    finite = controllers[-1] if controllers else verb
    if finite.dep_ == "acomp":
        return f"{_pronoun(subject)} {finite.head.lower_}"
    auxiliary = next(
        (
            child
            for child in finite.children
            if child.dep_ in AUXILIARY_DEPS and child.lower_ != "to" and (child.tag_ != "MD" or future)
        ),
        None,
    )
    if auxiliary is not None:
        operator = {"wo": "will", "'ll": "will", "’ll": "will"}.get(auxiliary.lower_, auxiliary.lower_)
    elif future:
        operator = "will"
    else:
        operator = {"VBZ": "does", "VBP": "do", "VB": "do"}.get(finite.tag_, "did")
    return f"{_pronoun(subject)} {operator}"


def _pronoun(subject: Token | None) -> str:
    """"they" for a plural; a name or "the man" for a singular, whose gender the text does not give."""
    if subject is None:
        return "it"
    if subject.pos_ == "PRON":
        return "they" if subject.lower_ in PLURAL_PRONOUNS else subject.lower_
    if subject.tag_ in {"NNS", "NNPS"} or subject.conjuncts:
        return "they"
    if subject.pos_ == "PROPN":
        return subject.text
    return f"the {subject.lower_}"


def _text_of(doc: Doc, indices: list[int]) -> str:
    """Tokens in sentence order, contiguous runs as written, runs joined by a space."""
    ordered = sorted(set(indices))
    runs: list[list[int]] = []
    for index in ordered:
        if runs and index == runs[-1][-1] + 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    # Span texts, not slices of doc.text: the parser rebuilds doc.text from every token on each call.
    text = " ".join(doc[run[0] : run[-1] + 1].text for run in runs)
    # Spaces the tokenizer keeps as tokens (no-break spaces, doubled spaces) are not words.
    return " ".join(text.split())


def _token_end(token: Token) -> int:
    return token.idx + len(token.text)


def stated_value(predicate: Predicate, counterpart: Predicate) -> str:
    """What one side says, in words: "signed", "not signed", "will open (confirmed)", "agreed in principle"."""
    if predicate.future:
        verb = f"will not {predicate.lemma}" if predicate.negated else f"will {predicate.lemma}"
    else:
        verb = f"not {_done_form(predicate, counterpart)}" if predicate.negated else _done_form(predicate, counterpart)
    if predicate.complement is not None and predicate.complement.words:
        verb = f"{verb} {predicate.complement.words}"
    if predicate.hedge is not None:
        # The hedge is best said as written: "agreed in principle", "could open", "is expected to sign".
        return " ".join(predicate.words.lower().split())
    return f"{verb} ({predicate.booster})" if predicate.booster else verb


def _done_form(a: Predicate, b: Predicate) -> str:
    """The verb as "what was done": "signed" from whichever side writes it so, else as written."""
    for predicate in (a, b):
        if predicate.verb_tag in {"VBD", "VBN"}:
            return predicate.verb.lower()
    return a.verb.lower()


# --------------------------------------------------------------------------- comparing predicates


def same_argument(a: Argument, b: Argument) -> bool | None:
    """True for the same thing, False for different things, None when the text cannot tell
    (a pronoun, or a name against a description: "Brandt" and "the mayor")."""
    if a.kind == "pronoun" or b.kind == "pronoun" or a.kind != b.kind:
        return None
    if a.kind == "name":
        return names_match(a.text, b.text)
    if a.modifiers and b.modifiers and not set(a.modifiers) & set(b.modifiers):
        # "the fisheries accord" and "the shipping accord" are two accords.
        return False
    return a.lemma == b.lemma


def _role_fit(left: list[Argument], right: list[Argument]) -> bool | None:
    if not left or not right:
        return None
    verdicts = [same_argument(x, y) for x in left for y in right]
    if True in verdicts:
        return True
    return False if all(verdict is False for verdict in verdicts) else None


def arguments_fit(a: Predicate, b: Predicate) -> ArgumentFit:
    """Whether two predicates with the same verb speak of the same participants and things: no
    role may name different things, and at least one must name the same thing."""
    if a.lemma != b.lemma:
        return ArgumentFit(fits=False)
    complement = _complement_fit(a.complement, b.complement)
    if complement is False:
        return ArgumentFit(fits=False, reasons=["different complements: what was agreed or decided differs"])
    reasons = []
    if a.lemma in cues().symmetric_verbs:
        together = _together_fit(_together(a), _together(b))
        if together is not True:
            return ArgumentFit(fits=False, reasons=["not the same people meeting"])
        reasons.append(f"same participants: {_names(_together(a))} / {_names(_together(b))}")
    for role, (left, right) in _roles(a, b).items():
        verdict = _role_fit(left, right)
        if verdict is False:
            return ArgumentFit(fits=False, reasons=[f"different {role}: {_names(left)} vs {_names(right)}"])
        if verdict:
            reasons.append(f"same {role}: {_names(left)} / {_names(right)}")
    if a.lemma in cues().light_verbs and _role_fit(a.objects, b.objects) is not True:
        # "have", "make", "take" say little without the same object.
        return ArgumentFit(fits=False, reasons=[f"'{a.lemma}' compared only with the same object"])
    if not reasons:
        return ArgumentFit(fits=False, reasons=["no argument in common"])
    if complement and a.complement is not None:
        reasons.append(f"same complement: {a.complement.lemma}")
    return ArgumentFit(fits=True, matched=len(reasons), reasons=[f"same verb: {a.lemma}", *reasons])


def _roles(a: Predicate, b: Predicate) -> dict[str, tuple[list[Argument], list[Argument]]]:
    """The argument roles both predicates fill, each as (a's arguments, b's arguments). With a
    symmetric verb who met whom is one role, compared on its own: "Biden met with Wang" is
    "Wang met Biden"."""
    symmetric = a.lemma in cues().symmetric_verbs
    prepositions = {oblique.preposition for oblique in a.obliques} & {oblique.preposition for oblique in b.obliques}
    if symmetric:
        prepositions -= {"with"}
    roles = {} if symmetric else {"subject": (a.subjects, b.subjects), "object": (a.objects, b.objects)}
    for preposition in sorted(prepositions):
        roles[f"'{preposition}'"] = (
            [oblique.argument for oblique in a.obliques if oblique.preposition == preposition],
            [oblique.argument for oblique in b.obliques if oblique.preposition == preposition],
        )
    return roles


def _together(predicate: Predicate) -> list[Argument]:
    """Everyone a symmetric verb joins: subject, object and "with" ("Biden met with Wang")."""
    joined = [oblique.argument for oblique in predicate.obliques if oblique.preposition == "with"]
    return [argument for argument in [*predicate.subjects, *predicate.objects, *joined] if argument.kind != "pronoun"]


def _together_fit(left: list[Argument], right: list[Argument]) -> bool:
    """Every one of them matched on the other side: "Wang met officials" is not "Wang met Biden"."""
    if not left or not right:
        return False
    return all(any(same_argument(x, y) for y in right) for x in left) and all(
        any(same_argument(x, y) for x in left) for y in right
    )


def _complement_fit(a: Complement | None, b: Complement | None) -> bool | None:
    """"agreed to meet again" is not "agreed"; nor "agreed to build plants"."""
    if a is None and b is None:
        return None
    if a is None or b is None or a.lemma != b.lemma:
        return False
    return _role_fit(a.objects, b.objects) is not False


def _names(arguments: list[Argument]) -> str:
    return ", ".join(argument.text for argument in arguments)


# --------------------------------------------------------------------------- shared by the detectors


def candidate_pairs(context: ComparisonContext, min_similarity: float, prefilter: re.Pattern[str]) -> list[SentencePair]:
    """Aligned sentences at least this similar, one of them matching ``prefilter``: parsing is the
    cost, and only sentences with a cue are worth it."""
    return context.candidate_pairs(
        min_similarity, lambda pair: bool(prefilter.search(pair.a.text) or prefilter.search(pair.b.text))
    )


def aligned_predicates(
    context: ComparisonContext, min_similarity: float, prefilter: re.Pattern[str]
) -> list[AlignedPredicates]:
    """Predicates of aligned sentences (at least this similar, one of them matching ``prefilter``)
    that share their verb and arguments, most similar sentences first; each predicate is paired
    once per sentence pair, with the other sentence's best-fitting one."""
    pairs = candidate_pairs(context, min_similarity, prefilter)
    context.prepare_pairs(pairs)
    readings: dict[tuple[str, int], list[Predicate]] = {}

    def predicates_of(sentence: Sentence) -> list[Predicate]:
        key = (sentence.doc_id, sentence.index)
        if key not in readings:
            readings[key] = read_predicates(context.parsed(sentence))
        return readings[key]

    aligned = []
    for pair in pairs:
        left, right = predicates_of(pair.a), predicates_of(pair.b)
        candidates = sorted(
            ((arguments_fit(p, q), p, q) for p in left for q in right if p.lemma == q.lemma),
            key=lambda item: -item[0].matched,
        )
        used: set[tuple[str, int]] = set()
        for fit, p, q in candidates:
            if not fit.fits or ("a", p.verb_start) in used or ("b", q.verb_start) in used:
                continue
            used.update({("a", p.verb_start), ("b", q.verb_start)})
            aligned.append(AlignedPredicates(pair=pair, a=p, b=q, fit=fit))
    return sorted(aligned, key=lambda item: (-item.pair.similarity, -item.fit.matched))


def published_before(context: ComparisonContext, earlier: str, later: str) -> bool:
    """Whether document ``earlier`` is dated before ``later``: its article may predate the event."""
    first, second = context.published(earlier), context.published(later)
    return bool(first and second and first[:10] < second[:10])


def source_name(context: ComparisonContext, doc_id: str) -> str:
    return context.documents[doc_id].meta.outlet or doc_id


def first_per_statement(findings: list[Finding]) -> list[Finding]:
    """Each statement reported once per pair of documents: a sentence aligned with two sentences
    of the other document that say the same thing gives one finding, the first (best) one."""
    kept, seen = [], set()
    for finding in findings:
        documents = tuple(sorted(side.doc_id for side in finding.sides))
        keys = {(documents, side.doc_id, side.start, side.end) for side in finding.sides}
        if keys & seen:
            continue
        seen |= keys
        kept.append(finding)
    return kept
