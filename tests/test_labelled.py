"""Reading a labelled file for the probe: the formats people have, and a clear sentence for each bad one."""

from __future__ import annotations

import json

import pytest

from bertgui.data.labelled import check_labelled, read_labelled
from bertgui.errors import CorpusError


def test_csv_tsv_jsonl_and_a_folder_per_label(tmp_path):
    (tmp_path / "a.csv").write_text('Text,Category\n"one, with a comma",x\n"two\nlines",y\n')
    (tmp_path / "a.tsv").write_text("label\ttext\nx\tone\ny\ttwo\n")
    (tmp_path / "a.jsonl").write_text(json.dumps({"text": "one", "label": "x"}) + "\n\n"
                                      + json.dumps({"text": "two", "label": 3}) + "\n")
    for label in ("x", "y"):
        (tmp_path / "f" / label).mkdir(parents=True)
        (tmp_path / "f" / label / "1.txt").write_text(f"text of {label}")
    assert read_labelled(tmp_path / "a.csv").texts == ["one, with a comma", "two\nlines"]
    assert read_labelled(tmp_path / "a.tsv").labels == ["x", "y"]
    assert read_labelled(tmp_path / "a.jsonl").labels == ["x", "3"]
    assert read_labelled(tmp_path / "f").labels == ["x", "y"]


def test_missing_columns_are_named_with_the_ones_there(tmp_path):
    (tmp_path / "a.csv").write_text("body_text,kind\nhello,x\n")
    with pytest.raises(CorpusError) as exc:
        read_labelled(tmp_path / "a.csv")
    assert "no text column" in exc.value.message and "body_text, kind" in exc.value.message
    assert "--text-column" in exc.value.advice
    assert read_labelled(tmp_path / "a.csv", text_column="body_text", label_column="kind").texts == ["hello"]


def test_empty_texts_are_skipped_and_counted(tmp_path):
    (tmp_path / "a.csv").write_text("text,label\nhello,x\n ,y\nworld,\n")
    data = read_labelled(tmp_path / "a.csv")
    assert data.texts == ["hello"]
    assert "2 rows" in str(data.notes[0])


def test_nothing_usable_is_an_error(tmp_path):
    (tmp_path / "a.csv").write_text("text,label\n,\n")
    with pytest.raises(CorpusError, match="no example"):
        read_labelled(tmp_path / "a.csv")


def test_one_label_only_is_refused(tmp_path):
    (tmp_path / "a.csv").write_text("text,label\n" + "".join(f"t{i},x\n" for i in range(10)))
    with pytest.raises(CorpusError, match="same label"):
        check_labelled(read_labelled(tmp_path / "a.csv"), folds=5)


def test_a_label_with_fewer_examples_than_folds_is_named(tmp_path):
    (tmp_path / "a.csv").write_text("text,label\n" + "".join(f"t{i},x\n" for i in range(10)) + "u,rare\nv,rare\n")
    with pytest.raises(CorpusError, match=r"rare \(2\)"):
        check_labelled(read_labelled(tmp_path / "a.csv"), folds=5)


def test_a_huge_file_is_sampled_and_says_so(tmp_path):
    (tmp_path / "a.csv").write_text("text,label\n" + "".join(f"t{i},{i % 2}\n" for i in range(300)))
    data = read_labelled(tmp_path / "a.csv", max_rows=100)
    assert len(data) == 100
    assert "300" in str(data.notes[-1]) and "100" in str(data.notes[-1])
    assert read_labelled(tmp_path / "a.csv", max_rows=100).texts == data.texts  # the same sample every time


def test_a_missing_file_and_a_folder_without_label_folders(tmp_path):
    with pytest.raises(CorpusError, match="does not exist"):
        read_labelled(tmp_path / "nope.csv")
    (tmp_path / "flat").mkdir()
    (tmp_path / "flat" / "a.txt").write_text("x")
    with pytest.raises(CorpusError, match="sub-folder"):
        read_labelled(tmp_path / "flat")
