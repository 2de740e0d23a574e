"""Parse stage: golden pages, metadata precedence, boilerplate rules, continuation pages, errors, `extract text`.

Golden files: fixtures/html/<name>.html -> <name>.expected.txt. Regenerate them on purpose with
    REGEN_FIXTURES=1 pytest tests/test_parse.py
and read the diff before committing it.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup, Comment, NavigableString
from bs4.element import PreformattedString

from extractor.errors import ParseError, PatternError
from extractor.parse import parse_html
from extractor.parse.rules import _compile_rules
from extractor.parse.tree import _TreeBuilder
from extractor.pipeline import read_input

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "html"
PAGES = sorted(p.stem for p in FIXTURES.glob("*.html"))
REGEN = os.environ.get("REGEN_FIXTURES") == "1"

KOMPAS = ("https://money.kompas.com/read/2020/12/01/153000326/"
          "klaim-jht-bpjs-ketenagaan-sumbagut-tembus-rp1-3-triliun-selama-pandemi")
BODY = ("Badan Penyelenggara Jaminan Sosial Ketenagakerjaan Cabang Contoh membayarkan klaim sebesar "
        "Rp10 miliar kepada 1.000 peserta, kata kepala cabang, Senin.")


def html_of(name: str) -> str:
    return read_input(str(FIXTURES / f"{name}.html"))


def expected_of(name: str) -> str:
    return (FIXTURES / f"{name}.expected.txt").read_text(encoding="utf-8").rstrip("\n")


def page(head: str = "", body: str = f"<p>{BODY}</p>", url: str | None = None):
    return parse_html(f"<html><head>{head}</head><body>{body}</body></html>", url=url)


# -- golden pages ------------------------------------------------------------------------------------

def test_there_are_enough_fixture_pages():
    assert len(PAGES) >= 12
    for name in PAGES:
        assert (FIXTURES / f"{name}.expected.txt").exists() or REGEN, f"{name}.expected.txt is missing"


@pytest.mark.parametrize("name", PAGES)
def test_golden_text(name):
    text = parse_html(html_of(name)).text
    target = FIXTURES / f"{name}.expected.txt"
    if REGEN:
        target.write_text(text + "\n", encoding="utf-8")
        pytest.skip("regenerated")
    assert text == expected_of(name)


@pytest.mark.parametrize("name", PAGES)
def test_text_shape_title_blank_line_paragraphs(name):
    parsed = parse_html(html_of(name))
    lines = parsed.text.split("\n")
    assert lines[0] == parsed.title
    assert lines[1] == ""
    assert all(line.strip() for line in lines[2::2]), "paragraphs are single non-empty lines"
    assert all(line == "" for line in lines[1::2]), "paragraphs are separated by one blank line"


BOILERPLATE_LINE = re.compile(
    r"^(baca juga|simak juga|lihat juga|artikel terkait|berita terkait|cek berita|advertisement|"
    r"scroll to continue|bagikan|share\b|editor\s*:|pewarta\s*:|penulis\s*:|reporter\s*:|halaman\s*:?\s*\d|"
    r"tags?\s*:|terpopuler|komentar|copyright|\(\w{2,4}/\w{2,4}\)$)", re.I)


@pytest.mark.parametrize("name", PAGES)
def test_no_boilerplate_line_survives(name):
    for line in parse_html(html_of(name)).text.split("\n"):
        assert not BOILERPLATE_LINE.search(line), line


# -- teaser figures never become claims --------------------------------------------------------------

_RP = re.compile(r"Rp\.?\s?(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?\s*(triliun|miliar|milyar|juta|ribu|[TM](?![a-z]))?",
                 re.I)
_SCALE = {"triliun": 10**12, "t": 10**12, "miliar": 10**9, "milyar": 10**9, "m": 10**9, "juta": 10**6,
          "ribu": 10**3}


def rupiah_amounts(text: str) -> set[int]:
    out = set()
    for whole, frac, scale in _RP.findall(text):
        value = float(whole.replace(".", "") + (f".{frac}" if frac else ""))
        out.add(round(value * _SCALE.get(scale.lower(), 1)))
    return out


def visible_text(html: str) -> str:
    soup = BeautifulSoup(html, "lxml")
    for tag in soup(["script", "style", "noscript", "template"]):
        tag.decompose()
    return soup.get_text(" ")


@pytest.mark.parametrize("name", PAGES)
def test_every_page_carries_rp_figures_outside_the_article(name):
    outside = rupiah_amounts(visible_text(html_of(name))) - rupiah_amounts(expected_of(name))
    assert outside, "each fixture should tempt the extractor with teaser/related Rp figures"


@pytest.mark.parametrize("name", PAGES)
def test_no_teaser_rp_figure_among_the_claims(name):
    pytest.importorskip("extractor.extract")
    pytest.importorskip("extractor.validate")
    from extractor.pipeline import extract_html

    html = html_of(name)
    teasers = rupiah_amounts(visible_text(html)) - rupiah_amounts(expected_of(name))
    claimed = {c.amount for c in extract_html(html).claims if c.amount is not None}
    assert not claimed & teasers, f"teaser amounts extracted as claims: {sorted(claimed & teasers)}"


# -- metadata: fixtures ------------------------------------------------------------------------------

# name: (title, published, site, canonical)
FIXTURE_METADATA = {
    "balipost-bpu-claims-2024": ("Klaim Jamsostek Pekerja BPU di Bali Tembus Rp41 Miliar Lebih", "2024-07-15",
                                 "BALIPOST.com",
                                 "https://www.balipost.com/news/2024/07/15/412345/Klaim-Jamsostek-Pekerja-BPU...html"),
    "tribun-palembang-2023": ("Sepanjang 2023, BPJS Ketenagakerjaan Palembang Bayar Klaim Rp 488,6 M, "
                              "Terbesar dari JHT", "2024-02-14", "Sripoku.com",
                              "https://palembang.tribunnews.com/2024/02/14/sepanjang-2023-bpjs-ketenagakerjaan-"
                              "palembang-bayar-klaim-rp-4886-m-terbesar-dari-jht"),
    "antara-palu-2021": ("BPJAMSOSTEK Palu salurkan klaim Rp168,41 M selama semester I 2021", "2021-07-27",
                         "Antara News", "https://www.antaranews.com/berita/2377502/bpjamsostek-palu-salurkan-klaim-"
                         "rp16841-m-selama-semester-i-2021"),
    "kompas-sumbagut-2020": ("Klaim JHT BPJS Ketenagaan Sumbagut Tembus Rp1,3 Triliun Selama Pandemi", "2020-12-01",
                             "KOMPAS.com", KOMPAS),
    "bpjsketenagakerjaan-jayapura-2024": ("Triwulan I 2024, Klaim BPJS Ketenagakerjaan Papua Jayapura Capai "
                                          "Rp63 Milyar", "2024-04-02", None, None),
    "blogspot-kalsel-2015": ("BPJS Ketenagakerjaan Kalsel Cairkan JHT Rp121 Miliar", "2015-12-08",
                             "ekonomibaritopost.blogspot.com",
                             "https://ekonomibaritopost.blogspot.com/2015/12/"
                             "bpjs-ketenagakerjaan-kalsel-cairkan-jht.html"),
    "cnnindonesia-jht-2022": ("BPJamsostek Catat Klaim JHT Rp26 Triliun hingga September 2022", "2022-10-21",
                              "CNN Indonesia", "https://www.cnnindonesia.com/ekonomi/20221021104500-78-863000/"
                              "bpjamsostek-catat-klaim-jht-rp26-triliun-hingga-september-2022"),
    "okezone-jasaraharja-jabar-2015": ("Januari-Februari 2015, Santunan Jasa Raharja Jabar Capai Rp 25,8 Miliar",
                                       "2015-03-27", "Okezone",
                                       "https://economy.okezone.com/read/2015/03/27/320/1125000/"
                                       "januari-februari-2015-santunan-jasa-raharja-jabar-capai-rp-25-8-miliar"),
}


@pytest.mark.parametrize("name", sorted(FIXTURE_METADATA))
def test_fixture_metadata(name):
    parsed = parse_html(html_of(name))
    assert (parsed.title, parsed.published, parsed.site, parsed.canonical_url) == FIXTURE_METADATA[name]


@pytest.mark.parametrize("name", PAGES)
def test_every_fixture_has_title_and_date(name):
    parsed = parse_html(html_of(name))
    assert parsed.title and re.fullmatch(r"\d{4}-\d{2}-\d{2}", parsed.published or "")


# -- metadata: precedence ----------------------------------------------------------------------------

LD = '<script type="application/ld+json">{}</script>'


def test_json_ld_beats_opengraph_and_title_tag():
    head = (LD.format('{"@context":"https://schema.org","@type":"NewsArticle","headline":"Judul LD",'
                      '"datePublished":"2024-07-15T09:05:12+08:00","author":{"@type":"Person","name":"A B"},'
                      '"articleSection":"Ekonomi","publisher":{"@type":"Organization","name":"Pub LD"},'
                      '"mainEntityOfPage":{"@id":"https://x.example/ld"}}')
            + '<meta property="og:title" content="Judul OG"><meta property="article:published_time" '
              'content="2020-01-01"><title>Judul Title</title>')
    got = page(head)
    assert (got.title, got.published, got.author, got.section, got.site, got.canonical_url) == (
        "Judul LD", "2024-07-15", "A B", "Ekonomi", "Pub LD", "https://x.example/ld")
    assert got.text.split("\n")[0] == "Judul LD"


def test_json_ld_inside_graph_and_lists_and_with_type_lists():
    graph = LD.format('{"@graph":[{"@type":"WebPage","name":"Halaman"},'
                      '{"@type":["NewsArticle"],"headline":"Dari Graph","datePublished":"2023-05-12"}]}')
    assert (page(graph).title, page(graph).published) == ("Dari Graph", "2023-05-12")
    listed = LD.format('[{"@type":"BreadcrumbList"},{"@type":"ReportageNewsArticle","headline":"Dari List",'
                       '"datePublished":"2022-10-21T10:45:00+07:00"}]')
    assert (page(listed).title, page(listed).published) == ("Dari List", "2022-10-21")


def test_broken_json_ld_is_tolerated_or_skipped():
    trailing_comma = LD.format('{"@type":"Article","headline":"Koma Sisa","datePublished":"2021-02-22",}')
    assert page(trailing_comma).title == "Koma Sisa"
    garbage = LD.format('{"@type": "Article", "headline": ') + '<meta property="og:title" content="Dari OG">'
    assert page(garbage).title == "Dari OG"


def test_opengraph_beats_meta_and_dom():
    head = ('<meta property="og:title" content="Judul OG"><meta name="twitter:title" content="Judul Twitter">'
            '<meta property="og:site_name" content="Situs OG"><meta property="og:url" content="https://x.example/og">'
            '<meta property="article:published_time" content="2021-02-22T15:09:00+07:00">'
            '<meta name="pubdate" content="2019-01-01">')
    got = page(head, body=f"<h1>Judul H1 Yang Lain</h1><p>{BODY}</p>")
    assert (got.title, got.site, got.canonical_url, got.published) == (
        "Judul OG", "Situs OG", "https://x.example/og", "2021-02-22")


def test_title_suffixes_with_the_site_name_are_dropped():
    assert page('<meta property="og:title" content="Klaim Naik Lagi | Kabar24 - Bisnis.com">').title == "Klaim Naik Lagi"
    assert page('<meta property="og:title" content="Klaim Naik Lagi : Okezone Economy">'
                '<meta property="og:site_name" content="Okezone">').title == "Klaim Naik Lagi"
    # a dash inside the headline stays
    assert page('<meta property="og:title" content="Januari-Februari, Santunan Rp 25,8 Miliar">').title == (
        "Januari-Februari, Santunan Rp 25,8 Miliar")


def test_truncated_headline_is_completed_from_h1():
    head = LD.format('{"@type":"NewsArticle","headline":"BPJS Ketenagakerjaan Bayar Klaim Rp419 Miliar untuk…"}')
    got = page(head, body=f"<h1>BPJS Ketenagakerjaan Bayar Klaim Rp419 Miliar untuk 21.000 Peserta</h1><p>{BODY}</p>")
    assert got.title == "BPJS Ketenagakerjaan Bayar Klaim Rp419 Miliar untuk 21.000 Peserta"


def test_without_metadata_the_heading_repeated_in_title_tag_wins():
    got = page("<title>Situs Resmi - Klaim Dibayar Rp5 Miliar Tahun Ini</title>",
               body=f"<h1>Situs Resmi Kantor</h1><h2>Klaim Dibayar Rp5 Miliar Tahun Ini</h2><p>{BODY}</p>")
    assert got.title == "Klaim Dibayar Rp5 Miliar Tahun Ini"
    assert page("<title>Klaim Dibayar Rp5 Miliar Tahun Ini | Situs</title>").title == "Klaim Dibayar Rp5 Miliar Tahun Ini"


def test_site_falls_back_to_publisher_then_host():
    assert page(LD.format('{"@type":"Article","headline":"Judul","publisher":{"name":"Penerbit"}}')).site == "Penerbit"
    assert page("", url="https://www.example.co.id/berita/1").site == "example.co.id"
    assert page("").site is None


def test_canonical_sources_and_relative_links():
    assert page('<link rel="canonical" href="/berita/1">', url="https://www.example.com/x?utm=1").canonical_url == (
        "https://www.example.com/berita/1")
    assert page('<meta property="og:url" content="https://example.com/og">').canonical_url == "https://example.com/og"
    assert page(LD.format('{"@type":"NewsArticle","headline":"J","url":"https://example.com/ld"}')).canonical_url == (
        "https://example.com/ld")
    assert page("").canonical_url is None


@pytest.mark.parametrize("head, body, expected", [
    ('<meta property="article:published_time" content="2024-07-15T09:05:12+08:00">', "", "2024-07-15"),
    ('<meta name="publishdate" content="2023/05/12 13:45:10">', "", "2023-05-12"),
    ('<meta name="content_PublishedDate" content="2024-02-14 14:23:10">', "", "2024-02-14"),
    ('<meta name="dtk:publishdate" content="20221021104500">', "", "2022-10-21"),
    ("", '<time datetime="2020-11-20 08:10:00">20 Nov 2020</time>', "2020-11-20"),
    ("", '<abbr itemprop="datePublished" title="2015-12-08T09:15:00+08:00">09.15</abbr>', "2015-12-08"),
    ("", '<span class="tanggal">Rabu, 14 Februari 2024 14:23 WIB</span>', "2024-02-14"),
    ("", '<div class="post-date">Jum\'at 27 Maret 2015</div>', "2015-03-27"),
    ("", '<div class="detail__date">Jumat, 21 Okt 2022 10:45 WIB</div>', "2022-10-21"),
    ("", '<span class="date">14/02/2024</span>', "2024-02-14"),
    ('<meta name="pubdate" content="31 Februari 2024">', "", None),
    ('<meta name="pubdate" content="kemarin sore">', "", None),
], ids=lambda v: v if isinstance(v, str) and len(v) < 25 else None)
def test_published_date_forms(head, body, expected):
    assert page(head, body=body + f"<p>{BODY}</p>").published == expected


def test_a_date_in_the_page_header_is_not_the_publication_date():
    got = page(body=f'<div class="topbar"><span class="date">Senin, 25 November 2026</span></div>'
                    f'<div class="post"><span class="post-date">12 Juni 2020</span>'
                    f'<div class="content"><p>{BODY}</p><p>{BODY}</p></div></div>'
                    f'<div class="related"><time>1 Januari 2021</time></div>')
    assert got.published == "2020-06-12"


def test_utc_timestamps_are_dated_in_indonesian_time():
    assert page('<meta property="article:published_time" content="2024-03-23T20:00:00Z">').published == "2024-03-24"
    assert page('<meta property="article:published_time" content="2024-03-23T20:00:00+07:00">').published == (
        "2024-03-23")


def test_json_ld_article_body_stands_in_for_a_javascript_page():
    head = LD.format('{"@type":"NewsArticle","headline":"Klaim JHT Naik Tajam","articleBody":'
                     f'"{BODY}\\nBaca juga: Santunan Rp5 miliar cair\\n{P2}"}}')
    got = page(head, body='<div id="root"></div><noscript>Aktifkan JavaScript untuk membaca.</noscript>')
    assert got.text == f"Klaim JHT Naik Tajam\n\n{BODY}\n\n{P2}"


# -- boilerplate rules -------------------------------------------------------------------------------

def body_lines(body: str) -> list[str]:
    return page('<meta property="og:title" content="Judul Berita Uji Coba">', body=body).text.split("\n\n")[1:]


P2 = "Klaim jaminan hari tua mendominasi dengan nilai Rp7 miliar untuk 700 kasus, ujarnya di kantornya."


def test_inline_teaser_label_and_its_link_are_cut_from_a_paragraph():
    got = body_lines(f'<div class="content"><p>{BODY} <strong>Baca juga:</strong> '
                     f'<a href="/x">Jasa Raharja Bayar Santunan Rp12,5 Miliar</a></p><p>{P2}</p></div>')
    assert got == [BODY, P2]


@pytest.mark.parametrize("teaser", [
    '<p><strong>Baca juga:</strong> <a href="/x">Jasa Raharja Bayar Santunan Rp12,5 Miliar</a></p>',
    '<p>Baca Juga: <a href="/x">Jasa Raharja Bayar Santunan Rp12,5 Miliar</a></p>',
    '<div class="box"><h6>Simak juga</h6><ul><li><a href="/x">Santunan Rp12,5 Miliar</a></li></ul></div>',
    '<p>Artikel terkait: Santunan Rp12,5 Miliar Cair</p>',
    '<p><a href="/a">Jasa Raharja Bayar Santunan Rp12,5 Miliar untuk Korban Kecelakaan Bus</a></p>',
    '<div>ADVERTISEMENT</div><div>SCROLL TO CONTINUE WITH CONTENT</div>',
    '<div class="share-bar"><span>BAGIKAN</span><a href="#">Facebook</a><a href="#">Twitter</a></div>',
    '<p>Editor: Odi Aria</p><p>Pewarta: Dedi<br>Editor: Teguh Imam Wibowo<br>COPYRIGHT © ANTARA 2015</p>',
    '<p>Penulis: Tim Redaksi | Editor: Redaksi</p>',
    '<div>Halaman 1 2 3 Selanjutnya</div>',
    '<figure><img src="a.jpg"><figcaption>Kepala cabang menyerahkan santunan Rp42 juta. (Foto: Dok)</figcaption></figure>',
    '<p class="wp-caption-text">Kepala cabang menyerahkan santunan. [foto/bhirawa]</p>',
    '<ul class="tags"><li><a href="/t/a">bpjs</a></li><li><a href="/t/b">klaim</a></li></ul>',
    '<p>(ang/ang)</p>',
    '<p>[Gambas:Video CNN]</p>',
], ids=lambda t: re.sub(r"<[^>]+>", " ", t).split()[0][:20])
def test_boilerplate_blocks_are_dropped(teaser):
    got = body_lines(f'<div class="content"><p>{BODY}</p>{teaser}<p>{P2}</p></div>')
    assert got == [BODY, P2]


def test_asides_related_lists_and_comments_are_dropped_even_when_they_hold_prose():
    related = "".join(f'<li><a href="/r{i}">Klaim JKM Capai Rp{i},5 Miliar di Cabang Lain</a></li>' for i in range(8))
    comments = "".join(f'<div class="comment"><p>Komentar panjang pembaca nomor {i}, saya menunggu klaim JHT '
                       f'saya yang belum cair sejak bulan lalu, mohon dibantu, terima kasih banyak.</p></div>'
                       for i in range(3))
    got = body_lines(f'<aside><h3>Terpopuler</h3><ul>{related}</ul></aside>'
                     f'<article><div class="entry-content"><p>{BODY}</p><p>{P2}</p></div>'
                     f'<div class="related-posts"><ul>{related}</ul></div>'
                     f'<div id="comments">{comments}</div></article>')
    assert got == [BODY, P2]


def test_double_br_splits_paragraphs_and_single_br_inside_a_sentence_does_not():
    got = body_lines(f'<div class="post-body">Jakarta, Kontributor<br>{BODY}<br><br>Klaim jaminan hari tua,'
                     f'<br>jaminan kematian dan<br>jaminan pensiun naik.<br><br>{P2}</div>')
    assert got == ["Jakarta, Kontributor", BODY,
                   "Klaim jaminan hari tua, jaminan kematian dan jaminan pensiun naik.", P2]


def test_a_widget_class_on_the_content_container_does_not_drop_the_article():
    got = body_lines(f'<div class="txt-article multi-fontsize tag-bpjs"><p>{BODY}</p><p>{P2}</p></div>'
                     '<div class="fontsize"><a href="#">A</a> <a href="#">A</a></div>')
    assert got == [BODY, P2]


def test_article_split_into_chunks_around_ads_is_joined():
    chunk = '<div class="chunk"><div class="chunk-content">{}</div></div>'
    got = body_lines('<div class="body">' + chunk.format(f"<p>{BODY}</p><p>{BODY}</p>")
                     + '<div class="ad-slot">Advertisement</div>' + chunk.format(f"<p>{P2}</p>") + "</div>")
    assert got == [BODY, BODY, P2]


def test_a_data_table_keeps_each_row_on_one_line():
    table = ("<table><tr><th>Program</th><th>Kasus</th><th>Nominal</th></tr>"
             "<tr><td>JHT</td><td>1.200</td><td>Rp10 miliar</td></tr>"
             "<tr><td><b>JKM</b></td><td>30</td><td>Rp1,2 miliar</td></tr></table>")
    got = body_lines(f'<div class="content"><p>{BODY}</p>{table}<p>{P2}</p></div>')
    assert got == [BODY, "Program | Kasus | Nominal", "JHT | 1.200 | Rp10 miliar", "JKM | 30 | Rp1,2 miliar", P2]


def test_a_layout_table_is_cut_like_any_container():
    got = body_lines(f'<table><tr><td><a href="/">Home</a> | <a href="/b">Berita</a></td></tr>'
                     f'<tr><td width="70%">{BODY}<br><br>{P2}<br><br>Baca Juga : <a href="/x">Klaim Rp1 M</a></td>'
                     f'<td><b>Populer</b><br><a href="/p">Harga Sawit Rp2.000</a></td></tr></table>')
    assert got == [BODY, P2]


def test_repeated_title_in_the_body_is_dropped():
    assert body_lines(f"<div><p>Judul Berita Uji Coba</p><p>{BODY}</p></div>") == [BODY]


# -- continuation pages ------------------------------------------------------------------------------

ART = "https://news.example.com/read/2024/01/01/123/klaim-bpjs-naik"


@pytest.mark.parametrize("links, url, expected", [
    ([f'<a href="{ART}?page=2">2</a>', f'<a href="{ART}?page=3">3</a>'], ART, [f"{ART}?page=2", f"{ART}?page=3"]),
    (['<a href="?page=2">Selanjutnya</a>'], ART, [f"{ART}?page=2"]),
    ([f'<link rel="next" href="{ART}/2">'], ART, [f"{ART}/2"]),
    ([f'<a href="{ART}/page/2/">2</a>'], ART, [f"{ART}/page/2/"]),
    ([f'<a href="{ART}?page=all">Show All</a>', f'<a href="{ART}?page=1">1</a>'], ART, []),
    (['<a href="https://news.example.com/read/2024/01/01/124/lain?page=2">2</a>'], ART, []),
    (['<a href="https://other.example.com/read/2024/01/01/123/klaim-bpjs-naik?page=2">2</a>'], ART, []),
    ([f'<a href="{ART}?page=1">1</a>', f'<a href="{ART}?page=3">3</a>'], f"{ART}?page=2", [f"{ART}?page=3"]),
    (['<a href="https://news.example.com/berita/12">x</a>'], "https://news.example.com/berita/11", []),
    (['<a href="?page=2">2</a>'], None, []),
])
def test_next_pages(links, url, expected):
    assert page(body=f"<p>{BODY}</p><div class='pagination'>{''.join(links)}</div>", url=url).next_pages == expected


def test_kompas_fixture_reports_its_second_page():
    assert parse_html(html_of("kompas-sumbagut-2020")).next_pages == [f"{KOMPAS}?page=2"]
    assert parse_html(html_of("kompas-sumbagut-2020-p2"), url=f"{KOMPAS}?page=2").next_pages == []


def fake_fetch(pages: dict[str, str], log: list[str] | None = None, redirects: dict[str, str] | None = None):
    from extractor.errors import HTTPStatusError

    def fetch(url, settings=None):
        if log is not None:
            log.append(url)
        final = (redirects or {}).get(url, url)
        if final not in pages:
            raise HTTPStatusError(f"HTTP 404 from {url}", status=404)
        return SimpleNamespace(url=url, final_url=final, status=200, content_type="text/html", html=pages[final],
                               encoding="utf-8", fetched_at="2026-01-01T00:00:00Z", notes=[])
    return fetch


def kompas_pages() -> dict[str, str]:
    return {KOMPAS: html_of("kompas-sumbagut-2020"), f"{KOMPAS}?page=2": html_of("kompas-sumbagut-2020-p2")}


def joined_kompas_text() -> str:
    p2 = expected_of("kompas-sumbagut-2020-p2").split("\n\n", 1)[1]
    return expected_of("kompas-sumbagut-2020") + "\n\n" + p2


def test_multi_page_article_is_fetched_and_joined(monkeypatch):
    from extractor.pipeline import page_from_url

    log: list[str] = []
    monkeypatch.setattr("extractor.fetch.fetch", fake_fetch(kompas_pages(), log))
    joined, source, warnings = page_from_url(KOMPAS)
    assert joined.text == joined_kompas_text()
    assert log == [KOMPAS, f"{KOMPAS}?page=2"]  # page 2 links back to page 1: not fetched again
    assert (warnings, joined.next_pages, source.final_url) == ([], [], KOMPAS)


def series(n: int, host: str = "news.example.com") -> dict[str, str]:
    base = f"https://{host}/read/1/klaim-berseri"
    out = {}
    for i in range(1, n + 1):
        url = base if i == 1 else f"{base}?page={i}"
        nxt = f'<a href="{base}?page={i + 1}">Selanjutnya</a>' if i < n else ""
        out[url] = (f'<html><head><meta property="og:title" content="Klaim Berseri"></head><body>'
                    f'<div class="content"><p>Halaman ke-{i}: {BODY}</p></div><div class="paging">{nxt}</div>'
                    f"</body></html>")
    return out


def test_multi_page_stops_at_ten_pages(monkeypatch):
    from extractor.pipeline import MAX_PAGES, page_from_url

    log: list[str] = []
    monkeypatch.setattr("extractor.fetch.fetch", fake_fetch(series(15), log))
    joined, _, _ = page_from_url("https://news.example.com/read/1/klaim-berseri")
    assert MAX_PAGES == 10 and len(log) == 10
    assert joined.text.count("Halaman ke-") == 10


def test_continuation_page_that_fails_gives_a_warning_not_an_error(monkeypatch):
    from extractor.pipeline import page_from_url

    pages = series(3)
    del pages["https://news.example.com/read/1/klaim-berseri?page=2"]
    monkeypatch.setattr("extractor.fetch.fetch", fake_fetch(pages))
    joined, _, warnings = page_from_url("https://news.example.com/read/1/klaim-berseri")
    assert joined.text.count("Halaman ke-") == 1
    assert len(warnings) == 1 and "page 2" in warnings[0] and "404" in warnings[0]


def test_continuation_redirecting_to_page_one_is_not_repeated(monkeypatch):
    from extractor.pipeline import page_from_url

    base = "https://news.example.com/read/1/klaim-berseri"
    monkeypatch.setattr("extractor.fetch.fetch", fake_fetch(series(2), redirects={f"{base}?page=2": base}))
    joined, _, _ = page_from_url(base)
    assert joined.text.count("Halaman ke-") == 1


def test_extract_url_joins_pages(monkeypatch):
    pytest.importorskip("extractor.extract")
    from extractor.pipeline import extract_url

    monkeypatch.setattr("extractor.fetch.fetch", fake_fetch(kompas_pages()))
    doc = extract_url(KOMPAS)
    assert doc.text == joined_kompas_text()
    assert doc.source.final_url == KOMPAS


# -- tree builder ------------------------------------------------------------------------------------

TRICKY = ("<!DOCTYPE html><html><head><title>T</title><style>p {}</style></head><BODY>"
          "<p>a <!-- c --> b<br/>c</p><pre>  x  \n</pre><textarea> </textarea> <template><p> t </p></template>"
          "<ruby>x<rt> y </rt></ruby><div {ns}x='1' class='A  b'>\u00dc&nbsp;<b>bold<i>both</b> after</i>"
          "<svg><title>s</title></svg><script>var x = '</div>';</script>\n\t <SPAN>end<p>unclosed")


def tree_of(soup: BeautifulSoup) -> list[tuple]:
    """Every node with its links, comparable across two trees."""
    nodes = list(soup.descendants)  # (follows next_element: checks those links too)
    index = {id(n): i for i, n in enumerate(nodes)}

    def at(node):
        return None if node is None else index.get(id(node), "root")
    return [(type(n).__name__, getattr(n, "name", None), str(n) if isinstance(n, NavigableString) else None,
             [(type(k).__name__, k, v) for k, v in getattr(n, "attrs", {}).items()],
             at(n.parent), at(n.previous_sibling), at(n.next_sibling), at(n.previous_element)) for n in nodes]


@pytest.mark.parametrize("name", PAGES + ["tricky"])
def test_tree_builder_makes_the_tree_bs4_makes(name):
    # parse.py builds the bs4 tree itself (faster): it must stay bs4's own tree, less the comments
    html = TRICKY if name == "tricky" else html_of(name)
    stock = BeautifulSoup(html, "lxml", multi_valued_attributes=None)
    for node in [n for n in stock.descendants if isinstance(n, PreformattedString)]:
        node.extract()
    assert tree_of(BeautifulSoup(html, builder=_TreeBuilder(skip=()))) == tree_of(stock)


def test_tree_builder_leaves_out_only_scripts_and_styles_dropped_unread():
    html = ("<html><head><script>head()</script></head><body><!-- c --><script>body()</script>"
            "<script type='application/ld+json'>{}</script><style class='post-date'>1 Mei 2020</style>"
            "<style>p {}</style><p>a</p></body></html>")
    soup = BeautifulSoup(html, builder=_TreeBuilder(skip={"script", "style"}))
    # outside the body they stay (<html> can be the container); JSON-LD and date marks are read
    assert [t.get_text() for t in soup.find_all(["script", "style"])] == ["head()", "{}", "1 Mei 2020"]
    assert not soup.find_all(string=lambda s: isinstance(s, Comment))


# -- errors ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("bad", [
    "", "   \n\t", "just some words, not a page at all", '{"headline": "JSON, not HTML"}', "\x00\x01\x02<html>",
    "<html><head><title>Kosong</title></head><body></body></html>",
    "<html><body><nav><a href='/'>Home</a> <a href='/b'>Berita</a></nav><script>var x = 1;</script></body></html>",
    "<html><body><p>Terlalu pendek.</p></body></html>",
], ids=["empty", "blank", "plain-text", "json", "binary", "empty-body", "nav-only", "too-short"])
def test_bad_input_raises_parse_error_with_one_line(bad):
    with pytest.raises(ParseError) as err:
        parse_html(bad)
    assert "\n" not in str(err.value) and str(err.value)
    assert err.value.exit_code == 11


def test_rule_file_errors_name_the_file_and_line():
    good = (Path(__file__).resolve().parent.parent / "patterns" / "parse" / "boilerplate.yaml").read_text(encoding="utf-8")
    bad = good.replace("line_patterns:\n", "line_patterns:\n  - '(unclosed'\n", 1)
    with pytest.raises(PatternError, match=r"boilerplate.yaml: line \d+: bad regex '\(unclosed'"):
        _compile_rules(bad, "patterns/parse/boilerplate.yaml")
    with pytest.raises(PatternError, match="'drop_tags' must be a non-empty list"):
        _compile_rules(good.replace("drop_tags: [", "drop_tags_typo: [", 1), "patterns/parse/boilerplate.yaml")


def test_importing_parse_does_no_work():
    code = ("import sys, extractor.parse as p; "
            "print('yaml' in sys.modules, p.rules.boilerplate_rules.cache_info().currsize)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "0"]


# -- `extract text` ----------------------------------------------------------------------------------

@pytest.fixture
def run_cli():
    from typer.testing import CliRunner

    from extractor.cli import app

    def run(*args: str):
        return CliRunner().invoke(app, list(args))
    return run


def test_text_command_prints_parsed_html(run_cli):
    result = run_cli("text", str(FIXTURES / "tribun-palembang-2023.html"))
    assert result.exit_code == 0
    assert result.stdout == expected_of("tribun-palembang-2023") + "\n"


def test_text_command_prints_a_text_file_as_is(run_cli, tmp_path):
    src = tmp_path / "artikel.txt"
    src.write_text("Judul\n\nBaca juga: stays, because a text file is printed as it is.\n", encoding="utf-8")
    result = run_cli("text", str(src))
    assert result.exit_code == 0
    assert result.stdout == src.read_text(encoding="utf-8")


def test_text_command_fetches_urls_and_joins_pages(run_cli, monkeypatch):
    monkeypatch.setattr("extractor.fetch.fetch", fake_fetch(kompas_pages()))
    result = run_cli("text", KOMPAS)
    assert result.exit_code == 0
    assert result.stdout == joined_kompas_text() + "\n"


@pytest.mark.parametrize("content, name, code", [
    (None, "missing.html", 3),
    ("<html><body><nav>Home</nav></body></html>", "kosong.html", 11),
])
def test_text_command_errors(run_cli, tmp_path, content, name, code):
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = run_cli("text", str(path))
    assert result.exit_code == code
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert result.stdout == ""


def test_text_command_has_help_with_an_example(run_cli):
    result = run_cli("text", "--help")
    assert result.exit_code == 0 and "Example: extract text" in result.stdout
