from pathlib import Path

import pytest

from unspin.taxonomy import (
    APPROXIMATE_PTC_MAPPINGS,
    FRAME_NAMES,
    FRAMES,
    GENRES,
    PTC_TECHNIQUES,
    PTC_TO_SEMEVAL,
    SEMEVAL_TO_PTC,
    TECHNIQUE_NAMES,
    TECHNIQUES,
    TechniqueInfo,
    definition,
    get_technique,
    normalise_technique,
)

DATA = Path(__file__).parents[1].parent / "shared" / "data"

# Every technique name in semeval2023/train that is not spelt as in techniques.txt, and what it
# must become. Found with
#   cut -f3 paragraphs.labels | tr , '\n' | sort | uniq -c   (one such name, line 9)
#   cut -f2 spans.labels | sort | uniq -c                    (none)
TYPOS_IN_TRAIN = {
    "Appeal_to_Fear-Prejudi-čce": "Appeal_to_Fear-Prejudice",
}

# Slips of the same kind (a stray, missing or swapped character, other separators) that the
# other splits may hold.
OTHER_SLIPS = {
    "Loaded_Lanxguage": "Loaded_Language",
    "Doubbt": "Doubt",
    "Dout": "Doubt",
    "Slgans": "Slogans",
    "Name_Calling-Labelling": "Name_Calling-Labeling",
    "name calling/labeling": "Name_Calling-Labeling",
    "Red Herring": "Red_Herring",
    "Straw_Men": "Straw_Man",
    "Flag-Waving": "Flag_Waving",
    "Exaggeration,Minimisation": "Exaggeration-Minimisation",
    " Causal_Oversimplification": "Causal_Oversimplification",
    "Consequential_Oversimplificatoin": "Consequential_Oversimplification",
}


def test_twenty_three_techniques_in_file_order():
    assert len(TECHNIQUES) == 23
    assert TECHNIQUE_NAMES[0] == "Appeal_to_Authority"
    assert TECHNIQUE_NAMES[-1] == "Questioning_the_Reputation"
    assert len(set(TECHNIQUE_NAMES)) == 23
    assert all(isinstance(t, TechniqueInfo) for t in TECHNIQUES)
    with pytest.raises(AttributeError):
        TECHNIQUES[0].name = "x"  # frozen


def test_every_technique_is_explained():
    labels = [t.label for t in TECHNIQUES]
    assert len(set(labels)) == 23
    for t in TECHNIQUES:
        assert t.label and t.label[0].isupper()
        assert t.definition.endswith(".") and len(t.definition) > 40
        assert t.example and t.example != t.definition


def test_fourteen_ptc_techniques():
    assert len(PTC_TECHNIQUES) == 14
    assert "Bandwagon,Reductio_ad_hitlerum" in PTC_TECHNIQUES
    assert "Whataboutism,Straw_Men,Red_Herring" in PTC_TECHNIQUES


@pytest.mark.skipif(not DATA.exists(), reason="shared data not present")
def test_names_match_the_data_files():
    def names(path: Path) -> list[str]:
        return [n.strip() for n in path.read_text(encoding="utf-8").splitlines() if n.strip()]

    assert list(TECHNIQUE_NAMES) == names(DATA / "semeval2023" / "techniques.txt")
    assert list(PTC_TECHNIQUES) == names(DATA / "ptc" / "techniques.txt")
    assert list(FRAME_NAMES) == names(DATA / "semeval2023" / "frames.txt")


def test_semeval_to_ptc_covers_both_sets():
    assert set(SEMEVAL_TO_PTC) == set(TECHNIQUE_NAMES)
    targets = {v for v in SEMEVAL_TO_PTC.values() if v is not None}
    assert targets <= set(PTC_TECHNIQUES)
    assert targets == set(PTC_TECHNIQUES)  # every PTC class has a 2023 counterpart
    assert SEMEVAL_TO_PTC["Appeal_to_Popularity"] == "Bandwagon,Reductio_ad_hitlerum"
    assert SEMEVAL_TO_PTC["Guilt_by_Association"] == "Bandwagon,Reductio_ad_hitlerum"
    assert SEMEVAL_TO_PTC["False_Dilemma-No_Choice"] == "Black-and-White_Fallacy"
    assert SEMEVAL_TO_PTC["Conversation_Killer"] == "Thought-terminating_Cliches"
    for name in ("Straw_Man", "Red_Herring", "Whataboutism"):
        assert SEMEVAL_TO_PTC[name] == "Whataboutism,Straw_Men,Red_Herring"
    assert SEMEVAL_TO_PTC["Appeal_to_Values"] is None
    assert SEMEVAL_TO_PTC["Appeal_to_Time"] is None
    assert SEMEVAL_TO_PTC["Obfuscation-Vagueness-Confusion"] is None
    assert all(SEMEVAL_TO_PTC[k] is not None for k in APPROXIMATE_PTC_MAPPINGS)


def test_ptc_to_semeval_inverts_the_mapping():
    assert set(PTC_TO_SEMEVAL) == set(PTC_TECHNIQUES)
    for ptc, semeval in PTC_TO_SEMEVAL.items():
        assert semeval in TECHNIQUE_NAMES
        assert SEMEVAL_TO_PTC[semeval] == ptc
        assert semeval not in APPROXIMATE_PTC_MAPPINGS


def test_frames_and_genres():
    assert len(FRAMES) == 14 and len(set(FRAME_NAMES)) == 14
    assert all(f.definition for f in FRAMES)
    assert GENRES == ("opinion", "reporting", "satire")


@pytest.mark.parametrize("raw, expected", sorted({**TYPOS_IN_TRAIN, **OTHER_SLIPS}.items()))
def test_normalise_repairs_slips(raw, expected):
    assert normalise_technique(raw) == expected


def test_normalise_keeps_real_names_and_never_swaps_techniques():
    for name in TECHNIQUE_NAMES:
        assert normalise_technique(name) == name
        middle = len(name) // 2
        assert normalise_technique(name[:middle] + "q" + name[middle:]) == name  # stray letter
        assert normalise_technique(name[:middle] + name[middle + 1:]) == name  # missing one


@pytest.mark.parametrize("raw", ["", "   ", "Propaganda", "Bandwagon,Reductio_ad_hitlerum",
                                 "Whataboutism,Straw_Men,Red_Herring", "Appeal", "Economic"])
def test_normalise_drops_what_it_cannot_place(raw):
    assert normalise_technique(raw) is None


def test_definition_lookup():
    assert definition("Loaded_Language") == get_technique("Loaded_Language").definition
    assert definition("Loaded_Langauge") == definition("Loaded_Language")
    assert definition("Economic").startswith("Costs")
    # A merged PTC class explains each technique it covers directly.
    bandwagon = definition("Bandwagon,Reductio_ad_hitlerum")
    assert "Appeal to popularity" in bandwagon and "Guilt by association" in bandwagon
    whatabout = definition("Whataboutism,Straw_Men,Red_Herring")
    assert "Straw man" in whatabout and "Appeal to hypocrisy" not in whatabout
    assert definition("Thought-terminating_Cliches") == definition("Conversation_Killer")
    with pytest.raises(KeyError):
        definition("Propaganda")
    with pytest.raises(KeyError):
        get_technique("Propaganda")
