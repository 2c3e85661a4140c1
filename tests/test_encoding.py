"""Encodings of corpus files: the guess, how sure it is, the person's own choice, and where both are shown.

The samples are real text in each language, written here and encoded with Python's codecs, so each test knows
exactly what the file must read back as.
"""

from __future__ import annotations

import pytest

from bertgui.config import RunConfig
from bertgui.data.corpus import iter_documents, read_encoding
from bertgui.errors import ConfigError

# French without 'œ', which latin-1 lacks (latin-1 French writes "coeur"): é è ç î à ô ê ù. Before the fix this
# exact text was read as hp_roman8 (short Western text fits several code pages; charset-normalizer's pick was
# close to arbitrary), the same bug as the cp1257 'connaīt'.
FRENCH_LATIN1 = (
    "Le garçon connaît bien la forêt où il est né. Il aime se promener à côté du ruisseau, même en hiver.\n"
    "Leur mère, qui était institutrice à l'école du village, leur a appris à être curieux et honnêtes.\n"
    "Où est la gare ? Je crois qu'elle est là-bas, à côté de l'hôtel.\n"
)
# Windows-1252 has what latin-1 lacks: 'œ', curly quotes, the euro sign, dashes.
FRENCH_CP1252 = (
    "« Le cœur a ses raisons que la raison ne connaît point », écrivait Pascal — c’est bien connu.\n"
    "Sa sœur lui a offert un œuf en chocolat ; il coûtait 5 € à la pâtisserie d’en face.\n"
    "“Ça ira”, répondit-il à l’élève, qui était déçu de son échec à l’examen de piano.\n"
    "Le maître d’hôtel apporta une crème brûlée et un café noir très chaud à la fenêtre.\n"
)
ENGLISH_CP1252 = (
    "“Don’t worry,” she said — it’s only a test… The café’s menu listed crème brûlée for €5.\n"
    "He replied: ‘I’ll be there at nine’, and left the naïve résumé on the desk.\n"
    "“Quotes” and ‘apostrophes’ – en dashes and — em dashes – are typical of Word documents.\n"
)
LITHUANIAN = (
    "Lietuvos Respublika yra nepriklausoma demokratinė valstybė, esanti prie Baltijos jūros.\n"
    "Vilnius yra didžiausias šalies miestas ir sostinė; čia gyvena daugiau kaip pusė milijono žmonių.\n"
    "Žiemą dažnai sninga, o vasarą žmonės mėgsta ilsėtis pajūryje, Palangoje ir Neringoje.\n"
    "Lietuvių kalba yra viena seniausių gyvų indoeuropiečių kalbų, artima latvių kalbai.\n"
    "Kūčių vakarą šeima susėda prie stalo ir valgo dvylika patiekalų be mėsos.\n"
)


def _lines(path, **kw) -> str:
    return "\n".join(d.text for d in iter_documents(str(path), documents="line", **kw)) + "\n"


@pytest.mark.parametrize(("sample", "codec", "expected"), [
    (FRENCH_LATIN1, "latin-1", {"cp1252", "latin_1"}),  # was hp_roman8 (the issue: cp1257)
    (FRENCH_CP1252, "cp1252", {"cp1252"}),
    (ENGLISH_CP1252, "cp1252", {"cp1252"}),
    (LITHUANIAN, "cp1257", {"cp1257"}),  # preferring Windows-1252 must not garble real Baltic text
], ids=["french-latin1", "french-cp1252", "english-cp1252-quotes", "lithuanian-cp1257"])
def test_single_byte_text_reads_back_exactly(tmp_path, sample, codec, expected) -> None:
    path = tmp_path / "corpus.txt"
    path.write_bytes(sample.encode(codec))
    guess = read_encoding(path)
    assert guess.encoding in expected
    assert guess.how == "detected" and not guess.weak and guess.confidence >= 0.9
    assert _lines(path) == sample


def test_utf8_is_read_as_utf8_and_is_sure(tmp_path) -> None:
    path = tmp_path / "utf8.txt"
    path.write_text(FRENCH_CP1252 + LITHUANIAN, encoding="utf-8")
    guess = read_encoding(path)
    assert (guess.encoding, guess.how, guess.weak, guess.confidence) == ("utf-8", "utf-8", False, 1.0)
    assert _lines(path) == FRENCH_CP1252 + LITHUANIAN


def test_a_guess_on_little_evidence_is_weak_and_says_how_to_choose(tmp_path) -> None:
    from bertgui.data.corpus import weak_encoding_note

    path = tmp_path / "short.txt"
    path.write_bytes("Il était une fois.\n".encode("latin-1"))  # one accented letter: too little to be sure
    guess = read_encoding(path)
    assert guess.weak and guess.how == "detected"
    note = weak_encoding_note(path, guess)
    assert "short.txt" in note and guess.encoding in note and "corpus.encoding" in note


def test_a_chosen_encoding_is_used_as_is(tmp_path) -> None:
    path = tmp_path / "fr.txt"
    path.write_bytes(FRENCH_LATIN1.encode("latin-1"))
    chosen = read_encoding(path, "cp1257")
    assert (chosen.encoding, chosen.how) == ("cp1257", "chosen")
    assert "connaīt" in _lines(path, encoding="cp1257")  # what was asked for, even when it garbles
    assert "connaît" in _lines(path, encoding="latin-1")


def test_a_chosen_encoding_that_does_not_fit_is_weak(tmp_path) -> None:
    path = tmp_path / "fr.txt"
    path.write_bytes(FRENCH_LATIN1.encode("latin-1"))
    chosen = read_encoding(path, "utf-8")
    assert chosen.weak and chosen.how == "chosen" and chosen.confidence < 0.1  # 'ç' is the 7th byte


@pytest.mark.parametrize("name", ["latin-1", "cp1252", "cp1257", "gb18030", "utf-16", "auto"])
def test_the_encoding_setting_accepts_python_codecs(name) -> None:
    assert RunConfig(encoding=name).validate().encoding == name


@pytest.mark.parametrize("name", ["latin-2000", "rot13", "base64", ""])
def test_the_encoding_setting_refuses_what_is_not_a_text_codec(name) -> None:
    with pytest.raises(ConfigError, match="corpus.encoding"):
        RunConfig(encoding=name).validate()


def test_the_encoding_setting_is_a_corpus_key_in_toml(tmp_path) -> None:
    path = tmp_path / "run.toml"
    path.write_text('[corpus]\nencoding = "cp1257"\n', encoding="utf-8")
    assert RunConfig.load(path).encoding == "cp1257"
    assert RunConfig(encoding="latin-1").to_toml_dict()["corpus"]["encoding"] == "latin-1"


def test_the_cache_of_a_corpus_depends_on_its_encoding(tmp_path, tiny_model) -> None:
    from transformers import AutoTokenizer

    from bertgui.data.prepare import corpus_fingerprint

    path = tmp_path / "fr.txt"
    path.write_bytes(FRENCH_LATIN1.encode("latin-1"))
    tokenizer = AutoTokenizer.from_pretrained(str(tiny_model))
    auto = corpus_fingerprint(RunConfig(corpus=[str(path)]), tokenizer, False)
    chosen = corpus_fingerprint(RunConfig(corpus=[str(path)], encoding="cp1257"), tokenizer, False)
    assert auto != chosen


def test_the_sample_and_the_full_pass_report_each_files_encoding(tmp_path, tiny_model) -> None:
    from transformers import AutoTokenizer

    from bertgui.data.prepare import prepare_corpus
    from bertgui.data.preview import open_sample

    (tmp_path / "fr.txt").write_bytes(FRENCH_LATIN1.encode("latin-1"))
    (tmp_path / "lt.txt").write_bytes(LITHUANIAN.encode("cp1257"))
    (tmp_path / "short.txt").write_bytes("Il était une fois.\n".encode("latin-1"))
    tokenizer = AutoTokenizer.from_pretrained(str(tiny_model))
    sample = open_sample([str(tmp_path)], tokenizer)
    found = {e["file"].rsplit("/", 1)[-1]: e for e in sample.encodings_dict()}
    assert found["fr.txt"]["encoding"] == "cp1252" and found["lt.txt"]["encoding"] == "cp1257"
    assert [f for f, e in found.items() if e["weak"]] == ["short.txt"]
    assert any("short.txt" in n and "weak guess" in n for n in sample.notes)
    config = RunConfig(corpus=[str(tmp_path)])
    prepared = prepare_corpus(config, tokenizer, num_proc=1, cache_dir=tmp_path / "cache")
    assert {k.rsplit("/", 1)[-1]: v["encoding"] for k, v in prepared.encodings.items()} == {
        "fr.txt": "cp1252", "lt.txt": "cp1257", "short.txt": found["short.txt"]["encoding"]}
    assert any("short.txt" in n and "weak guess" in n for n in prepared.notes)
