from disclosure.ocr.pdf_text import garbage_reason


def test_readable_text_layer():
    assert garbage_reason("二、主动公开政府信息情况 规章 0 0 0") is None


def test_no_text_layer():
    assert "no text layer" in garbage_reason("  \n ")


def test_fonts_without_unicode_map_give_replacement_characters_or_cids():
    assert "garbage" in garbage_reason("\ufffd\ufffd\ufffd 0 \ufffd\ufffd" * 5)
    assert "garbage" in garbage_reason("(cid:1234)(cid:88)(cid:4021) 0 0 0")


def test_a_stray_replacement_character_is_tolerated():
    assert garbage_reason("政府信息公开工作年度报告" * 20 + "\ufffd") is None
