"""Help > About shows the model card, bounded whatever the card holds (issue 27.10: 60,000 keys froze it)."""

from __future__ import annotations

from nnviz.gui.app.help import MAX_CARD_ROWS, about_html


def test_a_card_with_sixty_thousand_keys_shows_its_first_rows_and_says_how_many_more():
    page = about_html({f"key{i}": "v" * (i % 2000) for i in range(60_000)})
    assert page.count("<tr>") == MAX_CARD_ROWS + 1 and "59,940 more entries" in page and len(page) < 40_000


def test_card_text_is_text_not_html():
    assert "&lt;script&gt;" in about_html({"note": "<script>alert(1)</script>"})
