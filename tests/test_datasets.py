import logging
from pathlib import Path

import pytest

from unspin.evaluate import datasets
from unspin.evaluate.datasets import (
    LABEL_REPAIRS,
    LabelledSpan,
    line_offsets,
    read_checkworthy,
    read_ptc,
    read_semeval_articles,
    read_semeval_paragraphs,
    write_checkworthy,
    write_genre_frames,
    write_ptc_predictions,
    write_semeval_predictions,
)
from unspin.taxonomy import TECHNIQUE_NAMES

DATA = Path(__file__).parents[1].parent / "shared" / "data"


def write(path: Path, text: str) -> None:
    """Write ``text`` byte for byte (no newline translation)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


# --- PTC -----------------------------------------------------------------------------------

# A CRLF line break: read with newline translation, "Second" would start at 11, not 12.
PTC_TEXT = "Title line\r\nSecond line calls them traitors.\n"
# "Second" is [12, 18) and "traitors" [35, 43).


@pytest.fixture
def ptc_split(tmp_path: Path) -> Path:
    write(tmp_path / "articles" / "article7.txt", PTC_TEXT)
    write(tmp_path / "articles" / "article12.txt", "An article without labels.\n")
    write(tmp_path / "tc.labels",
          "7\tLoaded_Language\t35\t43\n7\tName_Calling,Labeling\t35\t43\n7\tRepetition\t12\t18\n")
    write(tmp_path / "si.labels", "7\t35\t43\n7\t12\t18\n")
    return tmp_path


def test_read_ptc(ptc_split: Path):
    articles = read_ptc(ptc_split)
    assert [a.id for a in articles] == ["7", "12"]  # numeric order; unlabelled kept
    art = articles[0]
    assert art.text == PTC_TEXT
    assert art.spans[0] == LabelledSpan("Loaded_Language", 35, 43)
    assert art.spans[1].technique == "Name_Calling,Labeling"
    assert art.text[35:43] == "traitors"
    assert art.text[12:18] == "Second"
    assert art.si_spans == [(35, 43), (12, 18)]
    assert articles[1].spans == [] and articles[1].si_spans == []


def test_read_ptc_without_si_labels(ptc_split: Path):
    (ptc_split / "si.labels").unlink()
    art = read_ptc(ptc_split)[0]
    assert art.si_spans == [(12, 18), (35, 43)]  # distinct tc spans


def test_read_ptc_rejects_bad_offsets(ptc_split: Path):
    write(ptc_split / "tc.labels", "7\tDoubt\t40\t99\n")
    with pytest.raises(ValueError, match="outside article 7"):
        read_ptc(ptc_split)
    write(ptc_split / "tc.labels", "8\tDoubt\t0\t1\n")
    with pytest.raises(ValueError, match="no article8.txt"):
        read_ptc(ptc_split)
    write(ptc_split / "tc.labels", "7\tDoubt\t0\n")
    with pytest.raises(ValueError, match="expected 4"):
        read_ptc(ptc_split)


# --- SemEval-2023 paragraphs ---------------------------------------------------------------

SEMEVAL_TEXT = "Title\n\nFirst para.\n\nSecond para here.\n"
# line 1 "Title" [0,5); line 2 blank [6,6); line 3 "First para." [7,18);
# line 4 blank [19,19); line 5 "Second para here." [20,37); line 6 empty, after the last "\n".


@pytest.fixture
def semeval_split(tmp_path: Path) -> Path:
    write(tmp_path / "articles" / "article10.txt", SEMEVAL_TEXT)
    write(tmp_path / "articles" / "article11.txt", "Only a title\n")
    write(tmp_path / "paragraphs.labels",
          "10\t1\t\n"
          "10\t3\tLoaded_Language,Doubbt\n"
          "10\t5\tAppeal_to_Fear-Prejudi-čce,Totally_Unknown_Label\n"
          "11\t1\t\n")
    write(tmp_path / "spans.labels",
          "10\tLoaded_Langauge\t7\t12\n10\tDoubt\t13\t17\n10\tNot_A_Technique\t20\t26\n")
    return tmp_path


def test_line_offsets():
    assert line_offsets(SEMEVAL_TEXT) == [(0, 5), (6, 6), (7, 18), (19, 19), (20, 37), (38, 38)]
    assert line_offsets("a\r\nbc") == [(0, 1), (3, 5)]  # "\r" is not part of the line


def test_read_semeval_paragraphs(semeval_split: Path, caplog):
    with caplog.at_level(logging.WARNING, logger=datasets.__name__):
        articles = read_semeval_paragraphs(semeval_split)
    assert [a.id for a in articles] == ["10", "11"]
    art = articles[0]
    assert [(p.line, p.start, p.end) for p in art.paragraphs] == [(1, 0, 5), (3, 7, 18),
                                                                  (5, 20, 37)]
    assert [art.text[p.start:p.end] for p in art.paragraphs] == [
        "Title", "First para.", "Second para here."]
    assert [p.techniques for p in art.paragraphs] == [
        [], ["Loaded_Language", "Doubt"], ["Appeal_to_Fear-Prejudice"]]
    assert [(s.technique, art.text[s.start:s.end]) for s in art.spans] == [
        ("Loaded_Language", "First"), ("Doubt", "para")]
    assert articles[1].paragraphs[0].techniques == []
    # Every repair and drop is recorded and logged.
    assert LABEL_REPAIRS["Doubbt"] == "Doubt"
    assert LABEL_REPAIRS["Appeal_to_Fear-Prejudi-čce"] == "Appeal_to_Fear-Prejudice"
    assert LABEL_REPAIRS["Totally_Unknown_Label"] is None
    assert LABEL_REPAIRS["Not_A_Technique"] is None
    assert LABEL_REPAIRS["Loaded_Langauge"] == "Loaded_Language"
    assert "Totally_Unknown_Label" in caplog.text
    for art in articles:
        for p in art.paragraphs:
            assert set(p.techniques) <= set(TECHNIQUE_NAMES)


def test_read_semeval_paragraphs_unlabelled(semeval_split: Path):
    (semeval_split / "paragraphs.labels").unlink()
    (semeval_split / "spans.labels").unlink()
    art = read_semeval_paragraphs(semeval_split)[0]
    assert [p.line for p in art.paragraphs] == [1, 3, 5]  # the non-blank lines
    assert art.spans == []


def test_read_semeval_paragraphs_rejects_missing_line(semeval_split: Path):
    write(semeval_split / "paragraphs.labels", "10\t9\tDoubt\n")
    with pytest.raises(ValueError, match="has no line 9"):
        read_semeval_paragraphs(semeval_split)


def test_semeval_predictions_round_trip(semeval_split: Path, tmp_path: Path):
    out = tmp_path / "pred"
    paragraphs = [("10", 1, []), ("10", 3, ["Doubt", "Slogans"]), ("11", 1, ["Doubt"])]
    spans = [("10", "Doubt", 13, 17)]
    written = write_semeval_predictions(out, paragraphs, spans)
    assert [p.name for p in written] == ["paragraphs.labels", "spans.labels"]
    assert (out / "paragraphs.labels").read_text(encoding="utf-8") == (
        "10\t1\t\n10\t3\tDoubt,Slogans\n11\t1\tDoubt\n")
    assert (out / "spans.labels").read_text(encoding="utf-8") == "10\tDoubt\t13\t17\n"
    # The files read back like gold files.
    write(out / "articles" / "article10.txt", SEMEVAL_TEXT)
    write(out / "articles" / "article11.txt", "Only a title\n")
    back = read_semeval_paragraphs(out)
    assert [(p.line, p.techniques) for a in back for p in a.paragraphs] == [
        (1, []), (3, ["Doubt", "Slogans"]), (1, ["Doubt"])]
    with pytest.raises(ValueError, match="technique"):
        write_semeval_predictions(out, [("10", 1, ["A,B"])], None)


def test_write_ptc_predictions(tmp_path: Path):
    write_ptc_predictions(tmp_path, {"7": [(35, 43), (12, 18)], "12": []},
                          [("7", "Name_Calling,Labeling", 35, 43)])
    assert (tmp_path / "si.labels").read_text() == "7\t12\t18\n7\t35\t43\n"
    assert (tmp_path / "tc.labels").read_text() == "7\tName_Calling,Labeling\t35\t43\n"
    with pytest.raises(ValueError, match="invalid span"):
        write_ptc_predictions(tmp_path, {"7": [(5, 2)]}, None)


# --- SemEval-2023 genre and frames ---------------------------------------------------------


def test_read_semeval_articles_and_write_back(tmp_path: Path):
    write(tmp_path / "articles-genre-frames" / "article2.txt", "Headline\n\nBody.\n")
    write(tmp_path / "articles-genre-frames" / "article1.txt", "Other\n")
    write(tmp_path / "genre.labels", "2\tsatire\n")
    write(tmp_path / "frames.labels", "2\tPolitical,Economic\n1\t\n")
    docs = read_semeval_articles(tmp_path)
    assert [(d.id, d.genre, d.frames) for d in docs] == [
        ("1", None, []), ("2", "satire", ["Political", "Economic"])]
    assert docs[1].text == "Headline\n\nBody.\n"

    out = tmp_path / "pred"
    write_genre_frames(out, {"2": "satire", "1": "opinion"}, {"2": ["Political"], "1": []})
    assert (out / "genre.labels").read_text() == "1\topinion\n2\tsatire\n"
    assert (out / "frames.labels").read_text() == "1\t\n2\tPolitical\n"

    write(tmp_path / "genre.labels", "2\tnews\n")
    with pytest.raises(ValueError, match="unknown genre"):
        read_semeval_articles(tmp_path)


# --- check-worthiness ----------------------------------------------------------------------


def test_read_checkworthy(tmp_path: Path, caplog):
    write(tmp_path / "sentences.tsv",
          "Sentence_id\tText\tclass_label\r\n"
          '1\t"Now, let\'s balance the budget," he said.\tNo\r\n'
          "2\tUnemployment fell to 4%.\tYes\r\n"
          "3\tWe've got to invest.\tNo4\tYou can't bring back jobs.\tNo\r\n"
          "5\tThe end \"quote\tYes")
    with caplog.at_level(logging.WARNING, logger=datasets.__name__):
        rows = read_checkworthy(tmp_path)
    assert rows == [
        ("1", '"Now, let\'s balance the budget," he said.', False),
        ("2", "Unemployment fell to 4%.", True),
        ("3", "We've got to invest.", False),
        ("4", "You can't bring back jobs.", False),
        ("5", 'The end "quote', True),
    ]
    assert rows[0].sentence_id == "1" and rows[1].label is True
    assert "glued" in caplog.text


def test_read_checkworthy_unlabelled_and_errors(tmp_path: Path):
    write(tmp_path / "sentences.tsv", "Sentence_id\tText\n9\tA claim.\n")
    assert read_checkworthy(tmp_path) == [("9", "A claim.", None)]
    write(tmp_path / "sentences.tsv", "Sentence_id\tText\tclass_label\n9\tA claim.\tMaybe\n")
    with pytest.raises(ValueError, match="Yes or No"):
        read_checkworthy(tmp_path)


def test_write_checkworthy(tmp_path: Path):
    path = write_checkworthy(tmp_path, [("1", "text", False), ("2", "text", True)])
    assert path.read_text() == "Sentence_id\tclass_label\n1\tNo\n2\tYes\n"
    write_checkworthy(tmp_path, {"3": True, "4": "No"})
    assert path.read_text() == "Sentence_id\tclass_label\n3\tYes\n4\tNo\n"


# --- the real data, when present -----------------------------------------------------------


@pytest.mark.skipif(not DATA.exists(), reason="shared data not present")
def test_real_training_splits():
    ptc = read_ptc(DATA / "ptc" / "train")
    assert len(ptc) == 371
    assert sum(len(a.spans) for a in ptc) > 6000
    for art in ptc:
        for s in art.spans:
            assert 0 <= s.start < s.end <= len(art.text)
        for start, end in art.si_spans:
            assert 0 <= start < end <= len(art.text)

    semeval = read_semeval_paragraphs(DATA / "semeval2023" / "train")
    assert len(semeval) == 371
    assert sum(len(a.paragraphs) for a in semeval) == 7895
    for art in semeval:
        for s in art.spans:
            assert 0 <= s.start < s.end <= len(art.text)
            assert s.technique in TECHNIQUE_NAMES
        for p in art.paragraphs:
            assert art.text[p.start:p.end].strip()
            assert set(p.techniques) <= set(TECHNIQUE_NAMES)
    assert LABEL_REPAIRS.get("Appeal_to_Fear-Prejudi-čce") == "Appeal_to_Fear-Prejudice"
