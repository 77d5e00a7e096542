"""refgen.py - the C-header emitter the reference generators share
(tests/data/*/gen_*.py): doubles written exactly (repr, NAN, INFINITY), flat
row-major arrays with their shape macros, scalars, tables with one call per
row, comments, section banners, and the checks a generator logs into its
header. A generator makes one Header, emits into it and writes it.

    sys.path.insert(0, os.path.join(HERE, os.pardir))
    from refgen import Header
    out = Header()
    out.arr("NAME", values, "the call that computed them")
"""
import numpy as np


def fmt(v):
    """A double as C source that reads back to the same bits."""
    v = float(v)
    if np.isnan(v):
        return "NAN"
    if np.isinf(v):
        return "INFINITY" if v > 0 else "-INFINITY"
    return repr(v)


class Header:
    """Lines of a generated header. full_shapes: arrays of 3 or more
    dimensions get _DIM0.._DIMn macros, every array a _LEN macro, and a
    narrow last axis (<= 16) is written one row per line; otherwise 2-D
    arrays get _ROWS/_COLS, the others _LEN, 8 values a line above 64 values
    and 4 below."""

    def __init__(self, full_shapes=False):
        self.lines = []
        self.notes = []
        self.full_shapes = full_shapes

    def arr(self, name, a, call):
        """A flat row-major static const double array plus its shape macros."""
        a = np.asarray(a, dtype=float)
        flat = a.reshape(-1)
        per = 8 if flat.size > 64 else 4
        if self.full_shapes and a.ndim >= 2 and a.shape[-1] <= 16:
            per = a.shape[-1]  # the text reads as the array
        body = ",\n    ".join(
            ", ".join(fmt(x) for x in flat[i:i + per]) for i in range(0, len(flat), per)
        )
        self.lines.append(f"/* {name}: {call} */")
        if a.ndim == 2:
            self.lines.append(f"#define {name}_ROWS {a.shape[0]}")
            self.lines.append(f"#define {name}_COLS {a.shape[1]}")
        elif a.ndim > 2 and self.full_shapes:
            for d, s in enumerate(a.shape):
                self.lines.append(f"#define {name}_DIM{d} {s}")
        if a.ndim != 2 or self.full_shapes:
            self.lines.append(f"#define {name}_LEN {a.size}")
        self.lines.append(f"static const double {name}[{max(flat.size, 1)}] = {{\n    {body}}};\n")

    def scalar(self, name, v, call):
        self.lines.append(f"/* {name}: {call} */")
        self.lines.append(f"static const double {name} = {fmt(v)};\n")

    def table(self, name, rows, calls, colnames, what):
        """A 2-D table, one row per line with the exact call beside it, and
        one macro per column index."""
        a = np.asarray(rows, dtype=float)
        self.lines.append(f"/* {name}: {what}")
        self.lines.append(" * Columns: " + ", ".join(colnames) + ". */")
        for j, c in enumerate(colnames):
            self.lines.append(f"#define {name}_COL_{c.upper()} {j}")
        self.lines.append(f"#define {name}_ROWS {a.shape[0]}")
        self.lines.append(f"#define {name}_COLS {a.shape[1]}")
        self.lines.append(f"static const double {name}[{a.size}] = {{")
        for r, c in zip(a, calls):
            self.lines.append("    " + ", ".join(fmt(x) for x in r) + ", /* " + c + " */")
        self.lines.append("};\n")

    def comment(self, text):
        self.lines.append("/* " + "\n * ".join(text.split("\n")) + " */\n")

    def section(self, title):
        self.lines.append("/* " + "-" * 72)
        for t in title.split("\n"):
            self.lines.append(" * " + t)
        self.lines.append(" * " + "-" * 72 + " */\n")

    def log(self, msg):
        """A check's outcome: printed, and listed in the header's opening comment."""
        print(msg)
        self.notes.append(msg)
