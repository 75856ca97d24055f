import pytest

from disclosure.ocr.errors import InputError
from disclosure.ocr.text_file import decode_text, text_document_from_bytes

TEXT = "政府信息公开工作年度报告\n规章\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_encodings_of_government_files(encoding):
    text, _ = decode_text(TEXT.encode(encoding))
    assert text.lstrip("\ufeff") == TEXT


def test_empty_and_blank_files_are_refused():
    for data in (b"", b"   \n\n"):
        with pytest.raises(InputError, match="empty"):
            decode_text(data)


def test_binary_garbage_is_refused():
    with pytest.raises(InputError):
        text_document_from_bytes(bytes(range(256)) * 20, "x.bin")
