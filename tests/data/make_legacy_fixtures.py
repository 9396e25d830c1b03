#!/usr/bin/env python3
"""Writes the EPUB fixtures of tests/data/legacy/epub/ and tests/data/damaged-epub/ (outside legacy/, which the
whole-folder tests import and expect to succeed but for one file), and
the Mailman monthly archives of tests/data/legacy/mailman/ (one gzip'd).

Each book is laid out as its maker lays them out (AO3's calibre conversion of its HTML
download, FanFicFare's writer, a hand-made EPUB 2 and 3), with made-up stories. The zips are
written with a fixed time stamp, so running this again gives the same bytes.

    python3 tests/data/make_legacy_fixtures.py
"""

import gzip
import os
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
GOOD = os.path.join(HERE, "legacy", "epub")
BAD = os.path.join(HERE, "damaged-epub")
STAMP = (2020, 1, 1, 0, 0, 0)

CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="{opf}" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""


def write_epub(path, files, opf_path="content.opf", mimetype_first=True, container=True):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with zipfile.ZipFile(path, "w") as z:
        if mimetype_first:
            info = zipfile.ZipInfo("mimetype", STAMP)
            info.compress_type = zipfile.ZIP_STORED
            z.writestr(info, "application/epub+zip")
        if container:
            info = zipfile.ZipInfo("META-INF/container.xml", STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, CONTAINER.format(opf=opf_path))
        for name, text in files:
            info = zipfile.ZipInfo(name, STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text.encode("utf-8") if isinstance(text, str) else text)


def xhtml(title, body, body_attrs=""):
    return f"""<?xml version='1.0' encoding='utf-8'?>
<html xmlns="http://www.w3.org/1999/xhtml">
<head><title>{title}</title>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8"/>
<link href="stylesheet.css" rel="stylesheet" type="text/css"/></head>
<body{body_attrs}>
{body}
</body></html>
"""


def ncx(title, points):
    nav = "\n".join(
        f'<navPoint id="np{i}" playOrder="{i}"><navLabel><text>{label}</text></navLabel>'
        f'<content src="{src}"/></navPoint>'
        for i, (label, src) in enumerate(points, 1)
    )
    return f"""<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE ncx PUBLIC "-//NISO//DTD ncx 2005-1//EN" "http://www.daisy.org/z3986/2005/ncx-2005-1.dtd">
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1" xml:lang="en">
<head><meta name="dtb:uid" content="x"/><meta name="dtb:depth" content="1"/></head>
<docTitle><text>{title}</text></docTitle>
<navMap>
{nav}
</navMap>
</ncx>
"""


def calibre_opf(meta, items):
    manifest = "\n".join(
        f'<item href="{href}" id="{iid}" media-type="{mt}"/>' for iid, href, mt in items
    )
    spine = "\n".join(
        f'<itemref idref="{iid}"/>' for iid, _, mt in items if mt == "application/xhtml+xml"
    )
    return f"""<?xml version='1.0' encoding='utf-8'?>
<package xmlns="http://www.idpf.org/2007/opf" unique-identifier="uuid_id" version="2.0">
  <metadata xmlns:calibre="http://calibre.kovidgoyal.net/2009/metadata" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:opf="http://www.idpf.org/2007/opf" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
{meta}
  </metadata>
  <manifest>
{manifest}
  </manifest>
  <spine toc="ncx">
{spine}
  </spine>
</package>
"""


# --- AO3: its HTML download run through calibre (one file per chapter) --------------------

AO3_SINGLE_PREFACE = """<div id="preface" class="calibre1">
<h2 class="toc-heading">Preface</h2>
<p class="message"><b>The Salt Road</b><br/>Posted originally on the <a href="http://archiveofourown.org/" class="calibre2">Archive of Our Own</a> at <a href="http://archiveofourown.org/works/1234567" class="calibre2">http://archiveofourown.org/works/1234567</a>.</p>
<div class="meta">
<dl class="tags">
<dt class="calibre3">Rating:</dt>
<dd class="calibre4"><a href="http://archiveofourown.org/tags/Teen%20And%20Up%20Audiences/works" class="calibre2">Teen And Up Audiences</a></dd>
<dt class="calibre3">Archive Warning:</dt>
<dd class="calibre4"><a href="http://archiveofourown.org/tags/No%20Archive%20Warnings%20Apply/works" class="calibre2">No Archive Warnings Apply</a></dd>
<dt class="calibre3">Category:</dt>
<dd class="calibre4"><a href="http://archiveofourown.org/tags/F*s*F/works" class="calibre2">F/F</a></dd>
<dt class="calibre3">Fandom:</dt>
<dd class="calibre4"><a href="http://archiveofourown.org/tags/Lanterns%20of%20Hollowmere/works" class="calibre2">Lanterns of Hollowmere</a></dd>
<dt class="calibre3">Relationship:</dt>
<dd class="calibre4"><a href="http://archiveofourown.org/tags/Mira*s*Odile/works" class="calibre2">Mira/Odile</a></dd>
<dt class="calibre3">Characters:</dt>
<dd class="calibre4"><a href="http://archiveofourown.org/tags/Mira/works" class="calibre2">Mira</a>, <a href="http://archiveofourown.org/tags/Odile/works" class="calibre2">Odile</a></dd>
<dt class="calibre3">Additional Tags:</dt>
<dd class="calibre4"><a href="http://archiveofourown.org/tags/Slow%20Burn/works" class="calibre2">Slow Burn</a>, <a href="http://archiveofourown.org/tags/Salt%20Flats/works" class="calibre2">Salt Flats</a></dd>
<dt class="calibre3">Language:</dt>
<dd class="calibre4">English</dd>
<dt class="calibre3">Stats:</dt>
<dd class="calibre4">
        Published: 2019-04-02
        Words: 96
        Chapters: 1/1
      </dd>
</dl>
<h1 class="calibre5">The Salt Road</h1>
<div class="byline">by <a rel="author" href="http://archiveofourown.org/users/wren_of_the_marsh/pseuds/wren_of_the_marsh" class="calibre2">wren_of_the_marsh</a></div>
<p class="calibre6">Summary</p>
<blockquote class="userstuff">
<p class="calibre7">Two lamplighters walk the <em>salt road</em> to the sea.</p>
</blockquote>
<p class="calibre6">Notes</p>
<blockquote class="userstuff">
<p class="calibre7">For the Hollowmere exchange.</p>
</blockquote>
</div>
</div>"""

AO3_SINGLE_TEXT = """<div id="chapters" class="userstuff1">
<div class="userstuff2">
<p class="calibre7">The road ran white under the moon, and Mira counted the lamps as they passed.</p>
<p class="calibre7">\u201cSeventeen,\u201d said Odile. \u201cYou always lose count at seventeen.\u201d</p>
<blockquote class="calibre8"><p class="calibre7">Light the first lamp last.</p></blockquote>
<p class="calibre7">They walked on until the sea was a grey line, and the salt crunched like snow, and neither of them said the thing they had walked all that way to say.</p>
</div>
</div>"""

AO3_SINGLE_AFTER = """<div id="afterword" class="calibre1">
<h2 class="toc-heading">Afterword</h2>
<p class="message">Please <a href="http://archiveofourown.org/works/1234567/comments/new" class="calibre2">drop by the archive and comment</a> to let the author know if you enjoyed their work!</p>
</div>"""


def ao3_single():
    files = [
        ("The_Salt_Road_split_000.xhtml", xhtml("The Salt Road", AO3_SINGLE_PREFACE, ' class="calibre"')),
        ("The_Salt_Road_split_001.xhtml", xhtml("The Salt Road", AO3_SINGLE_TEXT, ' class="calibre"')),
        ("The_Salt_Road_split_002.xhtml", xhtml("The Salt Road", AO3_SINGLE_AFTER, ' class="calibre"')),
        ("stylesheet.css", ".calibre { display: block }\n"),
        ("page_styles.css", "@page { margin: 5pt }\n"),
    ]
    meta = """    <dc:title>The Salt Road</dc:title>
    <dc:creator opf:file-as="wren_of_the_marsh" opf:role="aut">wren_of_the_marsh</dc:creator>
    <dc:description>&lt;p&gt;Two lamplighters walk the &lt;em&gt;salt road&lt;/em&gt; to the sea.&lt;/p&gt;</dc:description>
    <dc:publisher>Archive of Our Own</dc:publisher>
    <dc:identifier id="uuid_id" opf:scheme="uuid">5b1d8c9e-3f0a-4c55-9a1e-7d2b1c3e4f50</dc:identifier>
    <dc:identifier opf:scheme="calibre">5b1d8c9e-3f0a-4c55-9a1e-7d2b1c3e4f50</dc:identifier>
    <dc:date>2019-04-02T00:00:00+00:00</dc:date>
    <dc:language>en</dc:language>
    <dc:subject>Fanworks</dc:subject>
    <dc:subject>Teen And Up Audiences</dc:subject>
    <dc:subject>No Archive Warnings Apply</dc:subject>
    <dc:subject>F/F</dc:subject>
    <dc:subject>Lanterns of Hollowmere</dc:subject>
    <dc:subject>Slow Burn</dc:subject>
    <meta name="calibre:title_sort" content="Salt Road, The"/>"""
    items = [
        ("id1", "The_Salt_Road_split_000.xhtml", "application/xhtml+xml"),
        ("id2", "The_Salt_Road_split_001.xhtml", "application/xhtml+xml"),
        ("id3", "The_Salt_Road_split_002.xhtml", "application/xhtml+xml"),
        ("css", "stylesheet.css", "text/css"),
        ("page_css", "page_styles.css", "text/css"),
        ("ncx", "toc.ncx", "application/x-dtbncx+xml"),
    ]
    files.append(("content.opf", calibre_opf(meta, items)))
    files.append(("toc.ncx", ncx("The Salt Road", [
        ("Preface", "The_Salt_Road_split_000.xhtml"),
        ("The Salt Road", "The_Salt_Road_split_001.xhtml"),
        ("Afterword", "The_Salt_Road_split_002.xhtml#afterword"),
    ])))
    write_epub(os.path.join(GOOD, "ao3-single-chapter.epub"), files)


AO3_MULTI_PREFACE = """<div id="preface">
<h2 class="toc-heading">Preface</h2>
<p class="message"><b>Charts for a Drowned Coast</b><br/>Posted originally on the <a href="https://archiveofourown.org/">Archive of Our Own</a> at <a href="https://archiveofourown.org/works/7654321">https://archiveofourown.org/works/7654321</a>.</p>
<div class="meta">
<dl class="tags">
<dt>Rating:</dt>
<dd><a href="https://archiveofourown.org/tags/Mature/works">Mature</a></dd>
<dt>Archive Warnings:</dt>
<dd><a href="https://archiveofourown.org/tags/Graphic%20Depictions%20Of%20Violence/works">Graphic Depictions Of Violence</a>, <a href="https://archiveofourown.org/tags/Major%20Character%20Death/works">Major Character Death</a></dd>
<dt>Categories:</dt>
<dd><a href="https://archiveofourown.org/tags/Gen/works">Gen</a>, <a href="https://archiveofourown.org/tags/M*s*M/works">M/M</a></dd>
<dt>Fandoms:</dt>
<dd><a href="https://archiveofourown.org/tags/Tidewater%20Chronicles/works">Tidewater Chronicles</a>, <a href="https://archiveofourown.org/tags/Lanterns%20of%20Hollowmere/works">Lanterns of Hollowmere</a></dd>
<dt>Relationship:</dt>
<dd><a href="https://archiveofourown.org/tags/Ash%20*a*%20Pell/works">Ash &amp; Pell</a></dd>
<dt>Characters:</dt>
<dd><a href="https://archiveofourown.org/tags/Ash/works">Ash</a>, <a href="https://archiveofourown.org/tags/Pell%20Tamsin/works">Pell Tamsin</a>, <a href="https://archiveofourown.org/tags/The%20Cartographer/works">The Cartographer</a></dd>
<dt>Additional Tags:</dt>
<dd><a href="https://archiveofourown.org/tags/Maps/works">Maps</a>, <a href="https://archiveofourown.org/tags/Sea%20Monsters/works">Sea Monsters</a>, <a href="https://archiveofourown.org/tags/Found%20Family/works">Found Family</a></dd>
<dt>Language:</dt>
<dd>English</dd>
<dt>Series:</dt>
<dd>Part 2 of <a href="https://archiveofourown.org/series/11111">Charts and Currents</a></dd>
<dt>Stats:</dt>
<dd>
        Published: 2018-01-05
          Updated: 2018-03-01
        Words: 240
        Chapters: 3/5
      </dd>
</dl>
<h1>Charts for a Drowned Coast</h1>
<div class="byline">by <a rel="author" href="https://archiveofourown.org/users/saltwife/pseuds/saltwife">saltwife</a>, <a rel="author" href="https://archiveofourown.org/users/Tamsin_Reed/pseuds/Tamsin_Reed">Tamsin_Reed</a></div>
<p>Summary</p>
<blockquote class="userstuff"><p>The coast moved in the night. Someone has to chart it again.</p></blockquote>
<p>Notes</p>
<blockquote class="userstuff"><p>Thanks to my beta, who knows what a sounding line is.</p></blockquote>
<div class="endnote-link">See the end of the work for <a href="#endnotes">more notes</a></div>
</div>
</div>"""


def ao3_chapter(n, title, notes, text, end_notes, first):
    # calibre splits #chapters at each heading: every file repeats the wrapper, only the first
    # keeps its id, and calibre's class renaming numbers the classes.
    wrapper = '<div id="chapters" class="userstuff1">' if first else '<div class="userstuff1">'
    parts = [wrapper, '<div class="meta1 group">', f'<h2 class="heading">{title}</h2>']
    if notes:
        parts += ['<p class="calibre6">Chapter Notes</p>', f'<blockquote class="userstuff1">{notes}</blockquote>']
    if end_notes:
        parts.append(f'<div class="endnote-link">See the end of the chapter for  <a href="#endnotes{n}">notes</a></div>')
    parts += ["</div>", '<div class="userstuff2">', text, "</div>"]
    if end_notes:
        parts += [f'<div class="meta1" id="endnotes{n}">', '<p class="calibre6">Chapter End Notes</p>',
                  f'<blockquote class="userstuff1">{end_notes}</blockquote>', "</div>"]
    parts.append("</div>")
    return "\n".join(parts)


AO3_MULTI_AFTER = """<div id="afterword">
<h2 class="toc-heading">Afterword</h2>
<div class="meta">
<div id="endnotes">
<p>End Notes</p>
<blockquote class="userstuff"><p>The last two chapters are coming when the tide allows.</p></blockquote>
</div>
</div>
<p class="message">Please <a href="https://archiveofourown.org/works/7654321/comments/new">drop by the archive and comment</a> to let the author know if you enjoyed their work!</p>
</div>"""


def ao3_multi():
    chapters = [
        ao3_chapter(1, "Chapter 1: Low Tide", "<p>Set a week after part one.</p>",
                    "<p>Ash found the first wrong mark on the chart at dawn: a headland where there had always been water.</p>\n<p>\u201cIt moved,\u201d said Pell, who did not believe in coasts that moved.</p>",
                    None, True),
        ao3_chapter(2, "Chapter 2", None,
                    "<p>They rowed out with the sounding line and the Cartographer\u2019s old book between them.</p>\n<hr/>\n<p>By noon the line came up wet to the last knot.</p>",
                    "<p>The book is based on a real one. Sort of.</p>", False),
        ao3_chapter(3, "Chapter 3: What the Line Said", "<p>Warning for a death in this chapter.</p>",
                    "<p>The Cartographer did not come back from the last sounding, and Ash wrote the depth in the margin in her place.</p>",
                    "<p>Sorry.</p>", False),
    ]
    names = ["Charts_for_a_Drowned_Coast_split_%03d.xhtml" % i for i in range(5)]
    bodies = [AO3_MULTI_PREFACE] + chapters + [AO3_MULTI_AFTER]
    files = [(name, xhtml("Charts for a Drowned Coast", body)) for name, body in zip(names, bodies)]
    meta = """    <dc:title>Charts for a Drowned Coast</dc:title>
    <dc:creator opf:file-as="saltwife &amp; Tamsin_Reed" opf:role="aut">saltwife &amp; Tamsin_Reed</dc:creator>
    <dc:description>&lt;p&gt;The coast moved in the night. Someone has to chart it again.&lt;/p&gt;</dc:description>
    <dc:publisher>Archive of Our Own</dc:publisher>
    <dc:identifier id="uuid_id" opf:scheme="uuid">0c4f6a2e-1b7d-4e8f-9a3c-2d5e6f708192</dc:identifier>
    <dc:date>2018-03-01T00:00:00+00:00</dc:date>
    <dc:language>en</dc:language>
    <dc:subject>Fanworks</dc:subject>
    <dc:subject>Mature</dc:subject>
    <meta name="calibre:series" content="Charts and Currents"/>
    <meta name="calibre:series_index" content="2.0"/>"""
    items = [("id%d" % i, n, "application/xhtml+xml") for i, n in enumerate(names)]
    items.append(("ncx", "toc.ncx", "application/x-dtbncx+xml"))
    files.append(("content.opf", calibre_opf(meta, items)))
    files.append(("toc.ncx", ncx("Charts for a Drowned Coast", [
        ("Preface", names[0]),
        ("Chapter 1: Low Tide", names[1]),
        ("Chapter 2", names[2]),
        ("Chapter 3: What the Line Said", names[3]),
        ("Afterword", names[4]),
    ])))
    write_epub(os.path.join(GOOD, "ao3-multi-chapter.epub"), files)


# --- FanFicFare -----------------------------------------------------------------------------

def fff_chapter(n, title, text):
    return (f"OEBPS/file{n:04d}.xhtml", f"""<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<title>{title}</title>
<link href="stylesheet.css" type="text/css" rel="stylesheet"/>
<meta name="chapterurl" content="https://tidewater.example/viewstory.php?sid=88&amp;chapter={n}" />
<meta name="chapterorigtitle" content="{title}" />
<meta name="chaptertoctitle" content="{title}" />
<meta name="chaptertitle" content="{title}" />
</head>
<body class="fff_chapter">
<h3 class="fff_chapter_title">{title}</h3>
{text}
</body>
</html>
""")


def fff_opf(version, meta, items, spine):
    manifest = "\n".join(f'<item id="{i}" href="{h}" media-type="{m}"{p}/>' for i, h, m, p in items)
    spine = "\n".join(f'<itemref idref="{i}" linear="yes"/>' for i in spine)
    return f"""<?xml version="1.0" encoding="utf-8"?><package version="{version}" xmlns="http://www.idpf.org/2007/opf" unique-identifier="fanficfare-uid"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">
{meta}
</metadata><manifest>
{manifest}
</manifest><spine toc="ncx">
{spine}
</spine></package>"""


def fff_table():
    title_page = """<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<title>The Tidewater Ferry by Odile Fairweather</title>
<link href="stylesheet.css" type="text/css" rel="stylesheet"/>
</head>
<body class="fff_titlepage">
<h3><a href="https://tidewater.example/viewstory.php?sid=88">The Tidewater Ferry</a> by <a class="authorlink" href="https://tidewater.example/viewuser.php?uid=12">Odile Fairweather</a></h3>
<table class="full">
<tr><td><b>Category:</b></td><td>Tidewater Chronicles</td></tr>
<tr><td><b>Genre:</b></td><td>Adventure, Romance</td></tr>
<tr><td><b>Language:</b></td><td>English</td></tr>
<tr><td><b>Characters:</b></td><td>Ash, the Ferryman</td></tr>
<tr><td><b>Relationships:</b></td><td>Ash/the Ferryman</td></tr>
<tr><td><b>Status:</b></td><td>In-Progress</td></tr>
<tr><td><b>Published:</b></td><td>2011-06-14</td></tr>
<tr><td><b>Updated:</b></td><td>2012-02-03</td></tr>
<tr><td><b>Packaged:</b></td><td>2024-05-01 10:12:44</td></tr>
<tr><td><b>Rating:</b></td><td>PG-13</td></tr>
<tr><td><b>Warnings:</b></td><td>None</td></tr>
<tr><td><b>Chapters:</b></td><td>2</td></tr>
<tr><td><b>Words:</b></td><td>74</td></tr>
<tr><td><b>Publisher:</b></td><td>tidewater.example</td></tr>
<tr><td colspan="2"><b>Summary:</b> <p>Ash takes the last ferry of the year.</p><p>The ferryman does not take coins.</p></td></tr>
</table>
</body>
</html>
"""
    toc_page = """<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml">
<head><title>The Tidewater Ferry by Odile Fairweather</title></head>
<body class="fff_tocpage">
<div>
<h3>Table of Contents</h3>
<a href="file0001.xhtml">1. The Last Ferry</a><br />
<a href="file0002.xhtml">2. Fare</a><br />
</div>
</body>
</html>
"""
    log_page = """<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml">
<head><title>Update Log</title></head>
<body class="fff_logpage">
<h3>Update Log</h3>
<p class='log_entry'>
<b>Updated:</b> <span id="dateUpdated">2012-02-03</span>
<b>Chapters:</b> <span id="numChapters">2</span>
<b>Words:</b> <span id="numWords">74</span>
</p>
<hr/>
</body>
</html>
"""
    chapters = [
        fff_chapter(1, "1. The Last Ferry", "<div><p>The ferry left at dusk, the last one of the year, and Ash was the only passenger.</p><p>The ferryman did not look up.</p></div>"),
        fff_chapter(2, "2. Fare", "<div><p>\u201cWhat do I owe you?\u201d Ash asked on the far bank.</p><p>\u201cA story,\u201d said the ferryman, \u201cand you have already paid half.\u201d</p></div>"),
    ]
    meta = """<dc:identifier id="fanficfare-uid">fanficfare-uid:tidewater.example-u12-s88</dc:identifier>
<dc:title id="id">The Tidewater Ferry</dc:title>
<dc:creator opf:role="aut">Odile Fairweather</dc:creator>
<dc:contributor id="id-2">FanFicFare [https://github.com/JimmXinu/FanFicFare]</dc:contributor>
<dc:language>en</dc:language>
<dc:date opf:event="publication">2011-06-14</dc:date>
<dc:date opf:event="creation">2024-05-01</dc:date>
<dc:date opf:event="modification">2012-02-03</dc:date>
<meta name="calibre:timestamp" content="2012-02-03T00:00:00"/>
<dc:description>&lt;p&gt;Ash takes the last ferry of the year.&lt;/p&gt;</dc:description>
<dc:subject>Tidewater Chronicles</dc:subject>
<dc:subject>Adventure</dc:subject>
<dc:subject>In-Progress</dc:subject>
<dc:publisher>tidewater.example</dc:publisher>
<dc:identifier opf:scheme="URL">https://tidewater.example/viewstory.php?sid=88</dc:identifier>
<dc:source>https://tidewater.example/viewstory.php?sid=88</dc:source>"""
    items = [
        ("ncx", "toc.ncx", "application/x-dtbncx+xml", ""),
        ("style", "OEBPS/stylesheet.css", "text/css", ""),
        ("title_page", "OEBPS/title_page.xhtml", "application/xhtml+xml", ""),
        ("toc_page", "OEBPS/toc_page.xhtml", "application/xhtml+xml", ""),
        ("log_page", "OEBPS/log_page.xhtml", "application/xhtml+xml", ""),
        ("file0001", "OEBPS/file0001.xhtml", "application/xhtml+xml", ""),
        ("file0002", "OEBPS/file0002.xhtml", "application/xhtml+xml", ""),
    ]
    spine = ["title_page", "toc_page", "log_page", "file0001", "file0002"]
    files = [
        ("content.opf", fff_opf("2.0", meta, items, spine)),
        ("toc.ncx", ncx("The Tidewater Ferry", [
            ("Title Page", "OEBPS/title_page.xhtml"),
            ("Table of Contents", "OEBPS/toc_page.xhtml"),
            ("Update Log", "OEBPS/log_page.xhtml"),
            ("1. The Last Ferry", "OEBPS/file0001.xhtml"),
            ("2. Fare", "OEBPS/file0002.xhtml"),
        ])),
        ("OEBPS/stylesheet.css", "body { margin: 2% }\n"),
        ("OEBPS/title_page.xhtml", title_page),
        ("OEBPS/toc_page.xhtml", toc_page),
        ("OEBPS/log_page.xhtml", log_page),
    ] + chapters
    write_epub(os.path.join(GOOD, "fanficfare-table.epub"), files)


def fff_lines():
    title_page = """<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<title>Nine Bells by Pell Tamsin</title>
<link href="stylesheet.css" type="text/css" rel="stylesheet"/>
</head>
<body class="fff_titlepage">
<h3><a href="https://www.fanfiction.example/s/4455667/1/Nine-Bells">Nine Bells</a> by <a class="authorlink" href="https://www.fanfiction.example/u/998877/">Pell Tamsin</a></h3>
<div>

<b>Category:</b> Lanterns of Hollowmere<br />

<b>Genre:</b> Hurt/Comfort, Mystery<br />

<b>Language:</b> English<br />

<b>Status:</b> Completed<br />

<b>Published:</b> 2009-10-26<br />

<b>Updated:</b> 2010-01-02<br />

<b>Packaged:</b> 2023-11-30 21:04:15<br />

<b>Rating:</b> Fiction M<br />

<b>Chapters:</b> 2<br />

<b>Words:</b> 61<br />

<b>Publisher:</b> www.fanfiction.example<br />

<b>Summary:</b> The bell tower rings nine times at midnight. It should ring twelve.<br />

<b>Author URL:</b> https://www.fanfiction.example/u/998877/<br />

</div>

</body>
</html>
"""
    log_page = """<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml">
<head><title>Update Log</title></head>
<body class="fff_logpage">
<h3>Update Log</h3>
<p class='log_entry'>
<b>Status:</b> <span id="status">In-Progress</span>
<b>Updated:</b> <span id="dateUpdated">2009-11-01</span>
</p>
<hr/>
<p class='log_entry'>
<b>Status:</b> <span id="status">Completed</span>
<b>Updated:</b> <span id="dateUpdated">2010-01-02</span>
</p>
<hr/>
</body>
</html>
"""
    nav = """<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="en" xml:lang="en"><head><title>Navigation</title></head><body><nav epub:type="toc"><ol>
<li><a href="OEBPS/title_page.xhtml">Title Page</a></li>
<li><a href="OEBPS/log_page.xhtml">Update Log</a></li>
<li><a href="OEBPS/file0001.xhtml">Midnight</a></li>
<li><a href="OEBPS/file0002.xhtml">The Ninth Bell</a></li>
</ol></nav></body></html>"""
    chapters = [
        fff_chapter(1, "Midnight", "<p>Jory counted the bells from the bottom of the tower.</p><p>Nine. Then nothing.</p>"),
        fff_chapter(2, "The Ninth Bell", "<p>The bell-ringer had been dead for a year, which explained some things and not others.</p>"),
    ]
    meta = """<dc:identifier id="fanficfare-uid">fanficfare-uid:www.fanfiction.example-u998877-s4455667</dc:identifier>
<dc:title id="id">Nine Bells</dc:title>
<dc:creator id="id-1">Pell Tamsin</dc:creator>
<dc:contributor id="id-2">FanFicFare [https://github.com/JimmXinu/FanFicFare]</dc:contributor>
<dc:language>en</dc:language>
<meta property="dcterms:modified">2023-11-30T21:04:15Z</meta>
<dc:description>The bell tower rings nine times at midnight. It should ring twelve.</dc:description>
<dc:subject>Lanterns of Hollowmere</dc:subject>
<dc:publisher>www.fanfiction.example</dc:publisher>
<dc:identifier>URL:https://www.fanfiction.example/s/4455667/1/Nine-Bells</dc:identifier>
<dc:source>https://www.fanfiction.example/s/4455667/1/Nine-Bells</dc:source>
<meta property="title-type" refines="#id">main</meta>
<meta property="role" refines="#id-1" scheme="marc:relators">aut</meta>
<meta property="role" refines="#id-2" scheme="marc:relators">bkp</meta>"""
    items = [
        ("ncx", "toc.ncx", "application/x-dtbncx+xml", ""),
        ("style", "OEBPS/stylesheet.css", "text/css", ""),
        ("title_page", "OEBPS/title_page.xhtml", "application/xhtml+xml", ""),
        ("log_page", "OEBPS/log_page.xhtml", "application/xhtml+xml", ""),
        ("file0001", "OEBPS/file0001.xhtml", "application/xhtml+xml", ""),
        ("file0002", "OEBPS/file0002.xhtml", "application/xhtml+xml", ""),
        ("nav", "nav.xhtml", "application/xhtml+xml", ' properties="nav"'),
    ]
    spine = ["title_page", "log_page", "file0001", "file0002"]
    files = [
        ("content.opf", fff_opf("3.0", meta, items, spine)),
        ("toc.ncx", ncx("Nine Bells", [("Midnight", "OEBPS/file0001.xhtml")])),
        ("nav.xhtml", nav),
        ("OEBPS/stylesheet.css", "body { margin: 2% }\n"),
        ("OEBPS/title_page.xhtml", title_page),
        ("OEBPS/log_page.xhtml", log_page),
    ] + chapters
    write_epub(os.path.join(GOOD, "fanficfare-lines.epub"), files)


# --- Hand-made EPUBs -------------------------------------------------------------------------

def generic_ncx():
    opf = """<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="bookid">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">
<dc:title>Letters from the Lamp House</dc:title>
<dc:creator opf:role="aut" opf:file-as="Holt, Mira">Mira Holt</dc:creator>
<dc:contributor opf:role="edt">A Patient Friend</dc:contributor>
<dc:language>en-GB</dc:language>
<dc:date opf:event="publication">2003-10-26</dc:date>
<dc:subject>Epistolary</dc:subject>
<dc:subject>Lighthouses</dc:subject>
<dc:description>Letters between a lamp keeper and her sister.

Written for a zine in 2003.</dc:description>
<dc:identifier id="bookid" opf:scheme="UUID">urn:uuid:6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9</dc:identifier>
<dc:source>http://lamphouse.example/letters/</dc:source>
<meta name="calibre:series" content="Lamp House"/>
<meta name="calibre:series_index" content="1"/>
<meta name="cover" content="cover-image"/>
</metadata>
<manifest>
<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
<item id="cover" href="Text/cover.xhtml" media-type="application/xhtml+xml"/>
<item id="cover-image" href="Images/cover.png" media-type="image/png"/>
<item id="titlepage" href="Text/title.xhtml" media-type="application/xhtml+xml"/>
<item id="contents" href="Text/contents.xhtml" media-type="application/xhtml+xml"/>
<item id="l1" href="Text/letter%201.xhtml" media-type="application/xhtml+xml"/>
<item id="l2" href="Text/letter%202.xhtml" media-type="application/xhtml+xml"/>
<item id="l3" href="Text/letter%203.xhtml" media-type="application/xhtml+xml"/>
</manifest>
<spine toc="ncx">
<itemref idref="cover" linear="no"/>
<itemref idref="titlepage"/>
<itemref idref="contents"/>
<itemref idref="l1"/>
<itemref idref="l2"/>
<itemref idref="l3"/>
</spine>
</package>
"""
    def page(title, body):
        return xhtml(title, body)
    files = [
        ("OEBPS/content.opf", opf),
        ("OEBPS/toc.ncx", ncx("Letters from the Lamp House", [
            ("Title Page", "Text/title.xhtml"),
            ("Contents", "Text/contents.xhtml"),
            ("The First Letter", "Text/letter%201.xhtml"),
            ("The Second Letter", "Text/letter%202.xhtml#top"),
            ("Postscript", "Text/letter%203.xhtml"),
        ])),
        ("OEBPS/Images/cover.png", b"\x89PNG\r\n\x1a\n"),
        ("OEBPS/Text/cover.xhtml", page("Cover", '<div><img src="../Images/cover.png" alt="Cover"/></div>')),
        ("OEBPS/Text/title.xhtml", page("Title", "<h1>Letters from the Lamp House</h1><p>Mira Holt</p>")),
        ("OEBPS/Text/contents.xhtml", page("Contents", '<h2>Contents</h2><p><a href="letter%201.xhtml">The First Letter</a><br/><a href="letter%202.xhtml">The Second Letter</a></p>')),
        ("OEBPS/Text/letter 1.xhtml", page("The First Letter", "<h2>The First Letter</h2><p>Dear Odile, the lamp house is colder than you said, and the gulls are louder.</p><p>Yours, M.</p>")),
        ("OEBPS/Text/letter 2.xhtml", page("The Second Letter", '<h2 id="top">The Second Letter</h2><p>Dear Mira, everything is louder than I said. That is how you know it is home.</p>')),
        ("OEBPS/Text/letter 3.xhtml", page("Postscript", "<p><i>P.S.</i> The lamp went out on the ninth night, and I lit it again with my hands shaking.</p>")),
    ]
    write_epub(os.path.join(GOOD, "generic-epub2-ncx.epub"), files, opf_path="OEBPS/content.opf")


def font_obfuscated():
    """An EPUB 3 with an obfuscated font: no DRM, so it imports."""
    opf = """<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:identifier id="uid">urn:uuid:0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d</dc:identifier>
<dc:title>Under the Weir</dc:title>
<dc:creator id="a1">Jory Vane</dc:creator>
<meta refines="#a1" property="role" scheme="marc:relators">aut</meta>
<dc:language>fr</dc:language>
<dc:date>2016-07-09</dc:date>
<meta property="dcterms:modified">2016-07-10T00:00:00Z</meta>
<meta property="belongs-to-collection" id="c1">River Songs</meta>
<meta refines="#c1" property="group-position">3</meta>
</metadata>
<manifest>
<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
<item id="font" href="fonts/serif.otf" media-type="font/otf"/>
<item id="c1" href="c1.xhtml" media-type="application/xhtml+xml"/>
</manifest>
<spine><itemref idref="c1"/></spine>
</package>
"""
    enc = """<?xml version="1.0" encoding="UTF-8"?>
<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#">
<enc:EncryptedData>
<enc:EncryptionMethod Algorithm="http://www.idpf.org/2008/embedding"/>
<enc:CipherData><enc:CipherReference URI="OPS/fonts/serif.otf"/></enc:CipherData>
</enc:EncryptedData>
</encryption>
"""
    nav = """<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><head><title>Nav</title></head>
<body><nav epub:type="toc"><ol><li><a href="c1.xhtml">Sous le barrage</a></li></ol></nav></body></html>"""
    files = [
        ("META-INF/encryption.xml", enc),
        ("OPS/package.opf", opf),
        ("OPS/nav.xhtml", nav),
        ("OPS/fonts/serif.otf", b"\x00\x01\x00\x00obfuscated"),
        ("OPS/c1.xhtml", xhtml("Sous le barrage", "<section><h1>Sous le barrage</h1><p>L\u2019eau passait sous le barrage sans bruit, et Jory l\u2019\u00e9coutait quand m\u00eame.</p></section>")),
    ]
    write_epub(os.path.join(GOOD, "epub3-obfuscated-font.epub"), files, opf_path="OPS/package.opf")


# --- Damaged ---------------------------------------------------------------------------------

def damaged():
    # The container names a package document that is not there, and there is no other.
    write_epub(os.path.join(BAD, "missing-opf.epub"), [
        ("OEBPS/chapter1.xhtml", xhtml("One", "<p>Text nobody can find.</p>")),
    ], opf_path="OEBPS/content.opf")
    # A book cut short in the middle of the download: the zip's directory is gone.
    whole = os.path.join(BAD, "_whole.epub")
    write_epub(whole, [
        ("content.opf", calibre_opf("<dc:title>Cut</dc:title>", [("a", "a.xhtml", "application/xhtml+xml")])),
        ("a.xhtml", xhtml("Cut", "<p>" + "The download stopped here. " * 400 + "</p>")),
    ])
    with open(whole, "rb") as f:
        data = f.read()
    os.remove(whole)
    with open(os.path.join(BAD, "truncated.epub"), "wb") as f:
        f.write(data[: len(data) // 2])
    # A store's DRM: the chapters are encrypted with AES.
    enc = """<?xml version="1.0" encoding="UTF-8"?>
<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#" xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
<enc:EncryptedData>
<enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>
<ds:KeyInfo><ds:KeyName>urn:uuid:0000</ds:KeyName></ds:KeyInfo>
<enc:CipherData><enc:CipherReference URI="OEBPS/chapter1.xhtml"/></enc:CipherData>
</enc:EncryptedData>
<enc:EncryptedData>
<enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>
<enc:CipherData><enc:CipherReference URI="OEBPS/chapter2.xhtml"/></enc:CipherData>
</enc:EncryptedData>
</encryption>
"""
    write_epub(os.path.join(BAD, "drm-encrypted.epub"), [
        ("META-INF/encryption.xml", enc),
        ("OEBPS/content.opf", calibre_opf("<dc:title>Locked</dc:title>", [
            ("c1", "chapter1.xhtml", "application/xhtml+xml"), ("c2", "chapter2.xhtml", "application/xhtml+xml")])),
        ("OEBPS/chapter1.xhtml", bytes(range(256)) * 4),
        ("OEBPS/chapter2.xhtml", bytes(range(255, -1, -1)) * 4),
    ], opf_path="OEBPS/content.opf")


# --- Mailman monthly archives: a story whose parts span two months ------------------------

MAILMAN = os.path.join(HERE, "legacy", "mailman")


def pipermail_post(addr, name, date, subject, msgid, body, reply_to=None):
    user, host = addr.split("@")
    head = [
        f"From {user} at {host}  {date[0]}",
        f"From: {user} at {host} ({name})",
        f"Date: {date[1]}",
        f"Subject: {subject}",
    ]
    if reply_to:
        head.append(f"In-Reply-To: <{reply_to}>")
    head.append(f"Message-ID: <{msgid}>")
    return "\n".join(head) + "\n\n" + body.strip("\n") + "\n\n"


def mailman():
    os.makedirs(MAILMAN, exist_ok=True)
    october = "".join([
        pipermail_post("ash@tidewater.example", "Ash Morrow",
                       ("Sun Oct 26 21:14:03 2003", "Sun, 26 Oct 2003 21:14:03 -0500"),
                       "[lanterns-fic] NEW: Low Water (1/3) [PG]", "lw1@tidewater.example",
                       """
                    Low Water
                   by Ash Morrow

The river went down in October the way it always did, and took the
ferry landing with it.

TBC
"""),
        pipermail_post("ash@tidewater.example", "Ash Morrow",
                       ("Thu Oct 30 22:40:00 2003", "Thu, 30 Oct 2003 22:40:00 -0500"),
                       "[lanterns-fic] NEW: Low Water (2/3) [PG]", "lw2@tidewater.example",
                       """
Jory walked out on the mud where the water had been, and found the
old bell half buried, green as a frog.

TBC
"""),
        pipermail_post("wren@hollowmere.example", "Wren A.",
                       ("Fri Oct 31 10:00:00 2003", "Fri, 31 Oct 2003 10:00:00 -0500"),
                       "[lanterns-fic] FIC: Lamplighter's Night [G]", "ln@hollowmere.example",
                       """
Title: Lamplighter's Night
Author: Wren Ashdown
Rating: G
---------------------------------------------------------------------

The lamps came on one by one along the quay.

The End
"""),
    ])
    november = pipermail_post("ash@tidewater.example", "Ash Morrow",
                              ("Sat Nov  8 19:30:00 2003", "Sat, 8 Nov 2003 19:30:00 -0500"),
                              "[lanterns-fic] NEW: Low Water (3/3) [PG]", "lw3@tidewater.example",
                              """
They rang it once, for the ferry, and the river came back up to
listen.

END
""")
    with open(os.path.join(MAILMAN, "2003-October.txt"), "w") as f:
        f.write(october)
    with open(os.path.join(MAILMAN, "2003-November.txt.gz"), "wb") as raw:
        with gzip.GzipFile(filename="2003-November.txt", mode="wb", fileobj=raw, mtime=0) as f:
            f.write(november.encode("utf-8"))


if __name__ == "__main__":
    mailman()
    ao3_single()
    ao3_multi()
    fff_table()
    fff_lines()
    generic_ncx()
    font_obfuscated()
    damaged()
