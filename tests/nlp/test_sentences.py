from kansoku.nlp.analysis import split_sentences


def test_japanese_sentences_split_on_punctuation_and_lines():
    text = "北朝鮮は発射した。\n見出し\n金氏が視察した!"
    assert [s.text for s in split_sentences(text, "ja")] == ["北朝鮮は発射した。", "見出し", "金氏が視察した!"]


def test_english_abbreviations_do_not_end_sentences():
    text = "It was launched on Dec. 30 by the U.S. Army. Mr. Kim said so."
    assert [s.text for s in split_sentences(text, "en")] == [
        "It was launched on Dec. 30 by the U.S. Army.",
        "Mr. Kim said so.",
    ]
