"""Attribution, certainty and polarity as pure functions (no language model)."""

from kansoku.domain.lexicon import load_lexicon
from kansoku.extract import claims
from kansoku.model import Mention
from kansoku.nlp.analysis import split_sentences


def test_speech_quote_spanning_sentences_is_one_quote():
    text = "専門家は「北は支援を受けた。間違いない。」と分析している。施設の「未申告」は問題だ。"
    quotes = claims.find_quotes(text)
    assert [(text[q.start:q.end], q.speech) for q in quotes] == [
        ("「北は支援を受けた。間違いない。」", True),
        ("「未申告」", False),
    ]


def test_topic_source_is_last_source_before_topic_particle():
    text = "北朝鮮の朝鮮中央通信(KCNA)は24日、試射が行われたと伝えた。"
    sent = split_sentences(text, "ja")[0]
    mentions = [
        Mention(0, 3, "北朝鮮", "STATE", "north-korea"),
        Mention(4, 10, "朝鮮中央通信", "MEDIA", "kcna"),
        Mention(11, 15, "KCNA", "MEDIA", "kcna"),
    ]
    assert claims.topic_source(sent, mentions, "ja").entity == "kcna"


def test_according_to_phrase_names_the_source():
    text = "ドイツの放送局nTVによると、ミサイルの命中精度が向上したという。"
    sent = split_sentences(text, "ja")[0]
    mentions = [Mention(0, 3, "ドイツ", "STATE", "germany"), Mention(7, 10, "nTV", "MEDIA", "n-tv")]
    src, cue = claims.according_source(sent, 20, mentions, load_lexicon("ja"))
    assert src.entity == "n-tv" and cue == "によると"


def test_certainty_takes_the_first_cue_after_the_trigger():
    lex = load_lexicon("ja")
    text = "武器供給のほか、兵士も派遣しているとすれば、代価を得ていると考えて当然だろう。"
    assert claims.certainty_of(text, 4, len(text), lex, "ja", 2) == "possible"
    text = "技術支援を得ているはずだ。"
    assert claims.certainty_of(text, 4, len(text), lex, "ja", 0) == "probable"
    assert claims.certainty_of("会談した。", 2, 5, lex, "ja", 0) == "certain"


def test_uncommitted_beats_negation_words():
    lex = load_lexicon("ja")
    text = "派兵の有無には触れなかった。"
    assert claims.certainty_of(text, 2, len(text), lex, "ja", 0) == "uncommitted"


def test_english_hedge_before_the_verb():
    lex = load_lexicon("en")
    text = "North Korea is likely to supply Russia with shells."
    start = text.index("supply")
    assert claims.certainty_of(text, start + 6, len(text), lex, "en", start) == "probable"


def test_english_denial_is_negative():
    lex = load_lexicon("en")
    text = "Pyongyang has denied any arms dealings with Moscow."
    start = text.index("arms dealings")
    assert claims.negated(text, start, start + 13, len(text), lex, "en")
