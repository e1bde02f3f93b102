"""The label sets unspin reports: persuasion techniques, news frames and genres.

Three vocabularies meet here:

* :data:`TECHNIQUES`: the 23 persuasion techniques of SemEval-2023 Task 3 (Piskorski et al.
  2023), in the order of ``semeval2023/techniques.txt``. These are the names unspin reports.
* :data:`PTC_TECHNIQUES`: the 14 techniques of the Propaganda Techniques Corpus (SemEval-2020
  Task 11, Da San Martino et al. 2020), in the order of ``ptc/techniques.txt``. Some PTC labels
  are merged classes whose names contain commas (``"Bandwagon,Reductio_ad_hitlerum"``).
* :data:`FRAMES` and :data:`GENRES`: the 14 frames of the Media Frames Corpus (Card et al. 2015)
  used by SemEval-2023 Task 3 subtask 2, and its three genres (subtask 1).

:data:`SEMEVAL_TO_PTC` and :data:`PTC_TO_SEMEVAL` translate between the two technique sets;
:func:`normalise_technique` repairs the spelling slips found in gold label files.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

__all__ = [
    "APPROXIMATE_PTC_MAPPINGS",
    "FRAMES",
    "FRAME_NAMES",
    "FrameInfo",
    "GENRES",
    "PTC_TECHNIQUES",
    "PTC_TO_SEMEVAL",
    "SEMEVAL_TO_PTC",
    "TECHNIQUES",
    "TECHNIQUES_BY_NAME",
    "TECHNIQUE_NAMES",
    "TechniqueInfo",
    "definition",
    "get_technique",
    "normalise_technique",
]


@dataclass(frozen=True)
class TechniqueInfo:
    """One persuasion technique.

    ``name`` is the machine name used in the SemEval-2023 files, ``label`` a display name,
    ``definition`` a plain-language explanation and ``example`` an invented sentence using it.
    """

    name: str
    label: str
    definition: str
    example: str


@dataclass(frozen=True)
class FrameInfo:
    """One news frame: machine name, display name and a one-line definition."""

    name: str
    label: str
    definition: str


TECHNIQUES: tuple[TechniqueInfo, ...] = (
    TechniqueInfo(
        "Appeal_to_Authority",
        "Appeal to authority",
        "Treats a claim as true because an expert, institution or famous person is said to back "
        "it, without giving the evidence itself. The authority may be real, vague or irrelevant "
        "to the subject.",
        "Leading scientists agree that this diet is the only safe way to lose weight.",
    ),
    TechniqueInfo(
        "Appeal_to_Popularity",
        "Appeal to popularity (bandwagon)",
        "Argues that something is right or good because many or most people believe it or do it, "
        "inviting the reader to join the crowd.",
        "Millions of families have already switched to this bank; why haven't you?",
    ),
    TechniqueInfo(
        "Appeal_to_Values",
        "Appeal to values",
        "Supports a position by linking it to values the audience holds dear, such as freedom, "
        "tradition, fairness or faith, instead of giving reasons specific to the case.",
        "Any council that truly believes in fairness will vote for this budget.",
    ),
    TechniqueInfo(
        "Appeal_to_Fear-Prejudice",
        "Appeal to fear or prejudice",
        "Tries to win support by stirring up anxiety, panic or existing prejudices about what will "
        "happen, or who will be to blame, if the reader does not agree.",
        "If the new road is not built, our town will be cut off and our children will have no "
        "future here.",
    ),
    TechniqueInfo(
        "Flag_Waving",
        "Flag waving",
        "Justifies an idea by appealing to pride in a group, such as a nation, region, party or "
        "religion, suggesting that a true member of the group must support it.",
        "Real patriots buy products made in their own country.",
    ),
    TechniqueInfo(
        "Causal_Oversimplification",
        "Causal oversimplification",
        "Blames a complex outcome on a single cause, or a single culprit, when many factors were "
        "involved.",
        "House prices went up for one reason only: the new mayor.",
    ),
    TechniqueInfo(
        "False_Dilemma-No_Choice",
        "False dilemma or no choice",
        "Presents only two options, or a single one, as if no others existed, to push the reader "
        "towards the favoured choice.",
        "Either we close every factory or we accept that the planet is doomed.",
    ),
    TechniqueInfo(
        "Consequential_Oversimplification",
        "Consequential oversimplification (slippery slope)",
        "Claims that one step will inevitably set off a chain of ever worse consequences, without "
        "showing why each step must follow from the last.",
        "If we allow food trucks on Main Street, soon every shop will close and the street will "
        "be empty.",
    ),
    TechniqueInfo(
        "Straw_Man",
        "Straw man",
        "Replaces an opponent's real position with a distorted, weaker version that is easier to "
        "attack, then refutes the distortion.",
        "My opponent wants longer school days, so apparently she thinks children should never "
        "see their parents.",
    ),
    TechniqueInfo(
        "Red_Herring",
        "Red herring",
        "Draws attention away from the issue under discussion by bringing up an unrelated topic "
        "that sounds relevant.",
        "Asked about the delayed hospital, the minister spoke at length about the football team's "
        "win.",
    ),
    TechniqueInfo(
        "Whataboutism",
        "Whataboutism",
        "Answers a criticism by pointing to a supposedly similar fault of the critic or of "
        "someone else, instead of addressing the criticism itself.",
        "Why complain about our late trains when the neighbouring region's buses are even worse?",
    ),
    TechniqueInfo(
        "Slogans",
        "Slogans",
        "Uses a short, catchy phrase, often a label or stereotype, in place of an argument.",
        "Clean streets, safe streets!",
    ),
    TechniqueInfo(
        "Appeal_to_Time",
        "Appeal to time",
        "Insists that now is the moment to act, or that time is running out, so that the reader "
        "acts before thinking the matter through.",
        "The window is closing: we must sign the deal this week or lose it forever.",
    ),
    TechniqueInfo(
        "Conversation_Killer",
        "Conversation killer (thought-terminating cliché)",
        "Uses a stock phrase that discourages further thought or discussion, closing the debate "
        "instead of answering it.",
        "It is what it is, and there is nothing more to say.",
    ),
    TechniqueInfo(
        "Loaded_Language",
        "Loaded language",
        "Uses words and phrases with strong emotional charge, positive or negative, to sway the "
        "reader rather than to describe.",
        "The reckless scheme will unleash chaos on hard-working residents.",
    ),
    TechniqueInfo(
        "Repetition",
        "Repetition",
        "Repeats the same word, phrase or message again and again so that the audience comes to "
        "accept it.",
        "This plan is fair. Fair to workers, fair to owners, fair to everyone.",
    ),
    TechniqueInfo(
        "Exaggeration-Minimisation",
        "Exaggeration or minimisation",
        "Makes something seem much bigger, better or worse than it is, or downplays it to seem "
        "less important than it is.",
        "The tiny fee increase is the greatest robbery in the history of the city.",
    ),
    TechniqueInfo(
        "Obfuscation-Vagueness-Confusion",
        "Obfuscation, vagueness or confusion",
        "Uses deliberately unclear or ambiguous wording so that the audience may read into it "
        "whatever suits them, or cannot pin the speaker down.",
        "Certain measures may be taken at some point, depending on various factors.",
    ),
    TechniqueInfo(
        "Name_Calling-Labeling",
        "Name calling or labelling",
        "Attaches a label to a person or group, one the audience will love or hate, instead of "
        "discussing what they actually do or say.",
        "The so-called experts from the ivory tower have spoken again.",
    ),
    TechniqueInfo(
        "Doubt",
        "Casting doubt",
        "Questions the credibility of a person, group or claim without offering evidence, to make "
        "the audience distrust them.",
        "Can we really trust figures that come from a committee like this one?",
    ),
    TechniqueInfo(
        "Guilt_by_Association",
        "Guilt by association",
        "Attacks a person or idea by linking it to a group, person or activity the audience "
        "already despises, rather than by judging it on its merits.",
        "The proposal is also supported by a notorious fraudster, which tells you all you need "
        "to know.",
    ),
    TechniqueInfo(
        "Appeal_to_Hypocrisy",
        "Appeal to hypocrisy",
        "Attacks the critic as a hypocrite, pointing to their own past actions or words, instead "
        "of answering the point they make.",
        "The senator lectures us on saving energy, yet she flies to her holiday home every "
        "weekend.",
    ),
    TechniqueInfo(
        "Questioning_the_Reputation",
        "Questioning the reputation",
        "Attacks the character or moral standing of a person or group with strong negative claims, "
        "to undermine them rather than their arguments.",
        "Nothing this union leader says can be believed; he has always been in it for himself.",
    ),
)
"""The 23 SemEval-2023 Task 3 techniques, in the order of ``semeval2023/techniques.txt``."""

TECHNIQUE_NAMES: tuple[str, ...] = tuple(t.name for t in TECHNIQUES)
TECHNIQUES_BY_NAME: dict[str, TechniqueInfo] = {t.name: t for t in TECHNIQUES}

PTC_TECHNIQUES: tuple[str, ...] = (
    "Appeal_to_Authority",
    "Appeal_to_fear-prejudice",
    "Bandwagon,Reductio_ad_hitlerum",
    "Black-and-White_Fallacy",
    "Causal_Oversimplification",
    "Doubt",
    "Exaggeration,Minimisation",
    "Flag-Waving",
    "Loaded_Language",
    "Name_Calling,Labeling",
    "Repetition",
    "Slogans",
    "Thought-terminating_Cliches",
    "Whataboutism,Straw_Men,Red_Herring",
)
"""The 14 PTC techniques, in the order of ``ptc/techniques.txt`` (names with commas are
merged classes)."""

# Each SemEval-2023 technique and the PTC class that covers it. The 2023 English training
# articles are the PTC articles re-annotated, and matching their spans against the PTC spans
# (same article, same words) confirms every direct mapping below; the counts quoted are the
# matched spans in semeval2023/train.
SEMEVAL_TO_PTC: dict[str, str | None] = {
    "Appeal_to_Authority": "Appeal_to_Authority",
    "Appeal_to_Popularity": "Bandwagon,Reductio_ad_hitlerum",  # bandwagon; 14 spans
    # No PTC counterpart. Flag-Waving is the nearest in spirit, but PTC limits it to group
    # identity (nation, party, religion); generic values (freedom, fairness) are not that.
    "Appeal_to_Values": None,
    "Appeal_to_Fear-Prejudice": "Appeal_to_fear-prejudice",
    "Flag_Waving": "Flag-Waving",
    "Causal_Oversimplification": "Causal_Oversimplification",
    "False_Dilemma-No_Choice": "Black-and-White_Fallacy",
    # Approximate: a slippery slope oversimplifies a chain of causes and effects, which is the
    # closest PTC class; PTC had no separate label for it.
    "Consequential_Oversimplification": "Causal_Oversimplification",
    "Straw_Man": "Whataboutism,Straw_Men,Red_Herring",
    "Red_Herring": "Whataboutism,Straw_Men,Red_Herring",
    "Whataboutism": "Whataboutism,Straw_Men,Red_Herring",
    "Slogans": "Slogans",
    # No PTC counterpart: urgency ("act now") is neither fear nor a slogan as PTC defines them.
    "Appeal_to_Time": None,
    "Conversation_Killer": "Thought-terminating_Cliches",
    "Loaded_Language": "Loaded_Language",
    "Repetition": "Repetition",
    "Exaggeration-Minimisation": "Exaggeration,Minimisation",
    # No PTC counterpart: PTC v2 folded "Obfuscation, intentional vagueness, confusion" out of
    # its 14 classes, and none of the 16 such spans in semeval2023/train match a PTC span.
    "Obfuscation-Vagueness-Confusion": None,
    "Name_Calling-Labeling": "Name_Calling,Labeling",
    "Doubt": "Doubt",
    # Reductio ad hitlerum is guilt by association with a hated figure; 55 matched spans.
    "Guilt_by_Association": "Bandwagon,Reductio_ad_hitlerum",
    # Approximate: tu quoque ("you do it too") is whataboutism aimed at the critic; the data
    # agree: all 32 matched Appeal_to_Hypocrisy spans are Whataboutism,Straw_Men,Red_Herring.
    "Appeal_to_Hypocrisy": "Whataboutism,Straw_Men,Red_Herring",
    # Approximate: PTC's Doubt is "questioning the credibility of someone or something", which
    # covers attacks on a person's reputation; the 2023 scheme split these out of Doubt.
    "Questioning_the_Reputation": "Doubt",
}

APPROXIMATE_PTC_MAPPINGS: frozenset[str] = frozenset(
    {"Consequential_Oversimplification", "Appeal_to_Hypocrisy", "Questioning_the_Reputation"}
)
"""SemEval-2023 techniques whose :data:`SEMEVAL_TO_PTC` entry is a nearest fit, not an
equivalent."""

# Each PTC class and the SemEval-2023 technique to report for it: the direct counterpart, or
# for merged classes the member a reader should see first.
PTC_TO_SEMEVAL: dict[str, str] = {
    "Appeal_to_Authority": "Appeal_to_Authority",
    "Appeal_to_fear-prejudice": "Appeal_to_Fear-Prejudice",
    # 55 of the 69 matched spans of this class are Guilt_by_Association, 14 Appeal_to_Popularity.
    "Bandwagon,Reductio_ad_hitlerum": "Guilt_by_Association",
    "Black-and-White_Fallacy": "False_Dilemma-No_Choice",
    "Causal_Oversimplification": "Causal_Oversimplification",
    "Doubt": "Doubt",
    "Exaggeration,Minimisation": "Exaggeration-Minimisation",
    "Flag-Waving": "Flag_Waving",
    "Loaded_Language": "Loaded_Language",
    "Name_Calling,Labeling": "Name_Calling-Labeling",
    "Repetition": "Repetition",
    "Slogans": "Slogans",
    "Thought-terminating_Cliches": "Conversation_Killer",
    # No majority among the matched spans (Red_Herring 35, Appeal_to_Hypocrisy 32,
    # Whataboutism 16, Straw_Man 13); Whataboutism names the class and, with its tu quoque
    # variant Appeal_to_Hypocrisy, is the largest family.
    "Whataboutism,Straw_Men,Red_Herring": "Whataboutism",
}

FRAMES: tuple[FrameInfo, ...] = (
    FrameInfo("Economic", "Economic",
              "Costs, benefits, money and other financial consequences of the issue."),
    FrameInfo("Capacity_and_resources", "Capacity and resources",
              "Whether there is enough (or too little) of something: staff, space, time, "
              "supplies, physical or human resources."),
    FrameInfo("Morality", "Morality",
              "Religious or ethical duties, right and wrong, and social responsibility."),
    FrameInfo("Fairness_and_equality", "Fairness and equality",
              "Whether rights, burdens, rewards or punishments are shared fairly among "
              "individuals or groups."),
    FrameInfo("Legality_Constitutionality_and_jurisprudence",
              "Legality, constitutionality and jurisprudence",
              "What the law and constitution allow, court rulings, and the legal rights and "
              "powers of people and governments."),
    FrameInfo("Policy_prescription_and_evaluation", "Policy prescription and evaluation",
              "Particular policies proposed to address the issue, and whether existing ones "
              "work."),
    FrameInfo("Crime_and_punishment", "Crime and punishment",
              "Breaking the law, enforcing it, sentencing and punishment."),
    FrameInfo("Security_and_defense", "Security and defence",
              "Threats to the safety of a person, group or nation, and defence against them."),
    FrameInfo("Health_and_safety", "Health and safety",
              "Health care, illness, disease, sanitation, accidents and public safety."),
    FrameInfo("Quality_of_life", "Quality of life",
              "Effects on people's wealth, happiness, mobility, daily routines and well-being."),
    FrameInfo("Cultural_identity", "Cultural identity",
              "Traditions, customs and values of a social group as they bear on the issue."),
    FrameInfo("Public_opinion", "Public opinion",
              "What the public thinks: polls, protests, popular attitudes and reactions."),
    FrameInfo("Political", "Political",
              "Political actors and contests: parties, elections, lobbying, partisan "
              "manoeuvring."),
    FrameInfo("External_regulation_and_reputation", "External regulation and reputation",
              "A country's standing abroad and its relations with, or rules imposed by, other "
              "nations and international bodies."),
)
"""The 14 SemEval-2023 frames, in the order of ``semeval2023/frames.txt``."""

FRAME_NAMES: tuple[str, ...] = tuple(f.name for f in FRAMES)
_FRAMES_BY_NAME: dict[str, FrameInfo] = {f.name: f for f in FRAMES}

GENRES: tuple[str, ...] = ("opinion", "reporting", "satire")
"""The three SemEval-2023 genres (subtask 1)."""


# --- name repair ----------------------------------------------------------------------------

# Names are compared by their lower-case letters only, so separators ("-", "_", ",", " ", "/")
# and stray non-letters never matter; difflib then catches a stray or missing letter.
_NORMALISE_CUTOFF = 0.85
# The closest pair of distinct techniques (Causal_ vs Consequential_Oversimplification) scores
# about 0.8 on these keys, so a cutoff of 0.85 never confuses two real techniques.


def _key(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower())


_TECHNIQUE_KEYS: dict[str, str] = {_key(n): n for n in TECHNIQUE_NAMES}


def normalise_technique(name: str) -> str | None:
    """The SemEval-2023 technique name that ``name`` spells, or None.

    Exact names come back unchanged. Otherwise the name is compared by its lower-case letters
    (so ``"Appeal_to_Fear-Prejudi-čce"``, ``"name calling/labeling"`` and the PTC spelling
    ``"Flag-Waving"`` all match) and, failing an exact match of those, with
    :func:`difflib.get_close_matches` at a similarity cutoff of 0.85, which repairs one stray
    or missing letter but never turns one technique into another. Anything further away is
    None: the caller drops it. PTC merged classes (``"Bandwagon,Reductio_ad_hitlerum"``) are
    not SemEval-2023 spellings and give None; translate those with :data:`PTC_TO_SEMEVAL`.
    """
    if name in TECHNIQUES_BY_NAME:
        return name
    key = _key(name)
    if not key:
        return None
    if key in _TECHNIQUE_KEYS:
        return _TECHNIQUE_KEYS[key]
    close = difflib.get_close_matches(key, list(_TECHNIQUE_KEYS), n=1, cutoff=_NORMALISE_CUTOFF)
    return _TECHNIQUE_KEYS[close[0]] if close else None


def get_technique(name: str) -> TechniqueInfo:
    """The :class:`TechniqueInfo` of a SemEval-2023 technique (spelling slips tolerated).

    Raises KeyError, naming the known techniques, if ``name`` is not one."""
    canonical = normalise_technique(name)
    if canonical is None:
        raise KeyError(f"unknown technique {name!r}; known: {', '.join(TECHNIQUE_NAMES)}")
    return TECHNIQUES_BY_NAME[canonical]


def definition(name: str) -> str:
    """The plain-language definition of a technique or a frame.

    ``name`` may be a SemEval-2023 technique (spelling slips tolerated), a frame, or a PTC
    technique: a merged PTC class gets the definitions of the 2023 techniques it directly
    covers, each after its label. Raises KeyError for anything else."""
    if name in _FRAMES_BY_NAME:
        return _FRAMES_BY_NAME[name].definition
    canonical = normalise_technique(name)
    if canonical is not None:
        return TECHNIQUES_BY_NAME[canonical].definition
    if name in PTC_TO_SEMEVAL:
        members = [t for t in TECHNIQUE_NAMES
                   if SEMEVAL_TO_PTC[t] == name and t not in APPROXIMATE_PTC_MAPPINGS]
        if len(members) == 1:
            return TECHNIQUES_BY_NAME[members[0]].definition
        return " ".join(f"{TECHNIQUES_BY_NAME[t].label}: {TECHNIQUES_BY_NAME[t].definition}"
                        for t in members)
    raise KeyError(f"no definition for {name!r}: not a SemEval-2023 technique, a PTC technique "
                   "or a frame")
