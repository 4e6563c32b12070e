"""Small letters written as PDFs by hand: the corpus has no monitoring-visit PDF, so the fake
website serves these (invented people, Ofsted's letter shape) alongside corpus files."""

from __future__ import annotations

from datetime import date


def text_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with a real text layer (Helvetica), built by hand."""
    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    shown = " ".join(f"({escape(line)}) '" for line in lines)
    stream = f"BT /F1 11 Tf 14 TL 60 780 Td {shown} ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def monitoring_letter(la_name: str, sent: date, visit: str, number: str) -> bytes:
    """A monitoring-visit letter in Ofsted's shape, with invented people."""
    return text_pdf([
        f"{sent.day} {sent:%B %Y}", "Alex Example", "Director of Children's Services", "",
        "Dear Alex", "", f"Monitoring visit to {la_name} children's services", "",
        f"This letter summarises the findings of the {number} monitoring visit to {la_name} "
        "children's services.",
        f"The visit took place on {visit}. His Majesty's Inspectors for this visit were "
        "Sam Sample and Robin Fictional.",
        "", "Yours sincerely", "", "Sam Sample", "His Majesty's Inspector",
    ])
