"""Prints every *.tf file of a directory as JSON, parsed by python-hcl2 (Terraform itself is not
installed here). Usage: hcl2json.py DIR -> {"files": {"main.tf": {...}, ...}} on stdout.

Literal strings come out unquoted; expressions come out as their source text wrapped in "${...}"
(e.g. "${var.stage_name}"); blocks are lists of objects. A file that is not valid HCL ends the
run with exit code 1 and "<file>: <parser message>" on stderr.
"""
import json
import sys
from pathlib import Path

# python-hcl2 lives apart from the venv's site-packages (requirements-hcl2.txt): checkov's
# bc-python-hcl2 installs a different module under the same name.
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / ".venv" / "isolated" / "hcl2"))

import hcl2  # noqa: E402
from hcl2 import SerializationOptions  # noqa: E402

OPTIONS = SerializationOptions(
    with_comments=False,
    explicit_blocks=False,
    strip_string_quotes=True,
    preserve_heredocs=False,
)


def main(argv):
    if len(argv) != 2:
        print("usage: hcl2json.py DIR", file=sys.stderr)
        return 2
    directory = Path(argv[1])
    files = sorted(directory.glob("*.tf"))
    if not files:
        print(f"{directory}: no .tf files", file=sys.stderr)
        return 1
    out = {}
    for path in files:
        try:
            with path.open(encoding="utf-8") as handle:
                out[path.name] = hcl2.load(handle, serialization_options=OPTIONS)
        except Exception as err:  # lark raises several exception types; all mean "not valid HCL".
            message = " ".join(str(err).split())
            print(f"{path}: {message}", file=sys.stderr)
            return 1
    json.dump({"files": out}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
