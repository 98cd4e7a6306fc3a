#!/usr/bin/env python3
"""make_pdfs.py - writes the PDF fixtures of tests/kb/test_kb_doc_pdf.c.

Plain PDF 1.4 with the standard Helvetica font, text placed line by line,
so each fixture is small and its layout exact.  Run from this folder:
python3 make_pdfs.py.  The text is our own, not any trust's.
"""
import zlib


def pdf(pages, path, width=595, height=842):
    """pages: list of pages, each a list of (x, y, size, text)."""
    objs = []

    def add(b):
        objs.append(b)
        return len(objs)

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
               b"/Encoding /WinAnsiEncoding >>")
    page_ids = []
    parent = len(objs) + 2 * len(pages) + 1
    for lines in pages:
        ops = []
        for x, y, size, text in lines:
            t = text.encode("cp1252").replace(b"\\", b"\\\\").replace(b"(", b"\\(") \
                .replace(b")", b"\\)")
            ops.append(b"BT /F1 %d Tf %d %d Td (" % (size, x, y) + t + b") Tj ET")
        data = zlib.compress(b"\n".join(ops))
        content = add(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) +
                      data + b"\nendstream")
        page_ids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %d %d] "
                            b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
                            % (parent, width, height, font, content)))
    kids = b" ".join(b"%d 0 R" % i for i in page_ids)
    assert add(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(pages))) == parent
    cat = add(b"<< /Type /Catalog /Pages %d 0 R >>" % parent)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offs = []
    for i, o in enumerate(objs, 1):
        offs.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offs:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objs) + 1, cat, xref)
    open(path, "wb").write(out)


def body(lines, top=760, x=60, step=16, size=11):
    return [(x, top - i * step, size, t) for i, t in enumerate(lines) if t]


# Three pages with a running header, a "Page N of 3" footer, wrapped paragraphs.
pages = []
texts = [
    ["Our strategy", "", "Our vision",
     "To give every person in the valley care that is safe, kind and close to home,",
     "wherever they live and whatever their needs, now and in the future.", "",
     "Our values", "Kindness - we listen and we help", "Honesty - we say what we mean"],
    ["Our goals", "1. Shorter waits for planned care",
     "2. A workforce that feels valued and supported in every team and every",
     "    service we run across the whole valley", "3. Money spent well"],
    ["How we will know", "We will report our progress to the Board every quarter."],
]
for n, t in enumerate(texts, 1):
    lines = [(60, 800, 9, "Valley Example Health NHS Trust"),
             (380, 800, 9, "Our strategy 2025 to 2030")]
    lines += body(t)
    lines.append((270, 40, 9, "Page %d of 3" % n))
    pages.append(lines)
pdf(pages, "running-header.pdf")

# Two columns, each with its own heading and items.
left = ["Our mission", "To help people live well in", "their own homes and",
        "communities.", "", "Our priorities", "Care at home", "Faster diagnosis"]
right = ["Our values", "Respect - we treat everyone", "with dignity.",
         "Courage - we speak up when", "something is wrong.", "", "Contact",
         "Write to the strategy team."]
cols = [(60, 780, 11, "Two columns: our plan on one page")]
cols += body(left, top=740, x=60)
cols += body(right, top=740, x=320)
pdf([cols], "two-columns.pdf")

# A page with no text at all: what a scan without OCR looks like to pdftotext.
pdf([[]], "no-text.pdf")

# Lists whose bullets were drawn (no glyph in the text): indented lines, one
# item wrapped onto a line of its own that goes on in lower case; a second
# list whose items are all in lower case keeps each line an item.
wrapped = [(60, 780, 11, "Our strategic objectives are:")]
wrapped += body(["To give every child in the valley a healthy start",
                 "in their first years", "To make our clinics a great place to work and learn",
                 "To work with schools, councils and charities on the streets and places where "
                 "children grow up"],
                top=756, x=84)
wrapped += body(["Our three promises for this year are to:"], top=680)
wrapped += body(["open two more baby clinics", "answer every call within a day",
                 "train forty new health visitors"], top=656, x=84)
pdf([wrapped], "wrapped-items.pdf")

# Two columns, the right one starting a line higher than the left (its
# heading set above the left column's first line, as a browser prints a
# page whose left column opens with a larger heading).
left = ["Our purpose", "To help every family in the valley", "stay well at home.", "",
        "Our vision", "A healthy start for every child", "in the valley."]
right = ["Our priorities", "Care close to home for every family", "Shorter waits for",
         "every clinic", "A team that wants to stay"]
hi = [(60, 790, 11, "Home About us Contact")]
hi += body(left, top=744, x=60)
hi += body(right, top=760, x=320)
pdf([hi], "right-column-higher.pdf")

# One indented line right under a lead-in ending ':' (a one-item list whose
# bullet was drawn), then a paragraph at the margin.
lone = [(60, 780, 11, "Our purpose (why we are here) is:"),
        (84, 756, 11, "To keep every family in the valley well at home"),
        (60, 724, 11, "We wrote it with four hundred families and staff."),
        (60, 708, 11, "It is printed on the wall of every clinic we run.")]
pdf([lone], "lone-item.pdf")

# A sentence counting three priorities over three groups of indented lines
# (lists whose bullets and headings were pictures), a gap between groups.
groups = [(60, 780, 11, "We have set three priorities for the next two years."),
          (84, 756, 11, "Seeing people sooner in their own homes"),
          (84, 740, 11, "Answering every referral within two days"),
          (84, 712, 11, "Growing a skilled community workforce"),
          (84, 696, 11, "Giving every nurse protected time to learn"),
          (84, 668, 11, "Working with GPs and councils to join up care"),
          (84, 652, 11, "Sharing records so people tell their story once"),
          (60, 620, 11, "Our vision"),
          (60, 604, 11, "Good health for every person in the valley.")]
pdf([groups], "grouped-items.pdf")

# A list of "Name - text" items without bullet glyphs, one wrapped onto a line
# that starts with a capital (a proper name).
named = [(60, 780, 11, "Our priorities are:")]
named += body(["Quality - Safe care in every clinic we run, every day",
               "Sustainability - A lasting and well-run",
               "Valley Community Health Service for all",
               "People - A place where people want to work and stay"], top=756, x=84)
pdf([named], "named-items.pdf")

# Value names set large in a narrow column: two of them wrap onto a second line
# ("Working" over "Together"), each with its sentence right under it, a gap
# between values.
wrap = [(60, 790, 16, "Our values")]
y = 750
for head, desc in [(["Caring"], "We look after each other and the people we serve."),
                   (["Working", "Together"], "We share what we know and help each other."),
                   (["Always", "Learning"], "We try new ideas and learn from what goes wrong.")]:
    for h in head:
        wrap.append((60, y, 22, h))
        y -= 26
    wrap.append((60, y - 4, 11, desc))
    y -= 44
pdf([wrap], "wrapped-heading.pdf")
