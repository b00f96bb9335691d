"""Build DejaVuSansFormulier.ttf: the font of the PDF form fields (see README.md)."""
import sys
from fontTools import subset
from fontTools.ttLib import TTFont

src, dst = sys.argv[1], sys.argv[2]
options = subset.Options()
# A form field's text is drawn by the PDF reader, which applies no OpenType layout: no GSUB,
# GPOS or GDEF. Names: copyright, family, style, unique ID, full name, version, PostScript
# name, licence and licence URL, in English (the licence asks to keep the copyright notice).
options.layout_features = []
options.drop_tables += ["GSUB", "GPOS", "GDEF", "MATH"]
options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
options.name_languages = [0x409]
options.notdef_outline = True
options.hinting = False
font = TTFont(src)
sub = subset.Subsetter(options)
sub.populate(unicodes=[*range(0x20, 0x7F), *range(0xA0, 0x180), *range(0x2010, 0x2027),
                       0x2030, 0x2039, 0x203A, 0x20AC, 0x2122, 0x2212])
sub.subset(font)
family, ps = "DejaVu Sans Formulier", "DejaVuSansFormulier"
for rec in font["name"].names:
    if rec.nameID in (1, 16):
        rec.string = family
    elif rec.nameID == 4:
        rec.string = family
    elif rec.nameID == 6:
        rec.string = ps
    elif rec.nameID == 3:
        rec.string = f"{ps}-{font['head'].fontRevision:.2f}"
font["head"].modified = font["head"].created  # no build clock in the file
font.save(dst, reorderTables=True)
